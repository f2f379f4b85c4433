"""Notifications: triggers decide, the outbox remembers, the worker delivers.

    triggers.py     pure functions: catalog/profile/date changes → candidate notifications
    calendar_kr.py  Korean public holidays and business-day wording (pure)
    snapshot.py     the matching snapshot: every stored profile as one Polars table
    audience.py     vectorised audiences of services over the snapshot → candidates
    outbox.py       candidates → rows (idempotency key, digest/immediate, quiet hours)
    delivery.py     batching due rows into messages, claiming with a lease, recording results
    worker.py       `alrim worker`: jobs on a cron schedule + the delivery loop
    channels/       e-mail (SMTP), webhook (HMAC), SMS/알림톡 (SOLAPI), in-app inbox
    web.py          settings, inbox, unsubscribe and dead-letter pages

See docs/notifications.md for the guarantees and operations.
"""
