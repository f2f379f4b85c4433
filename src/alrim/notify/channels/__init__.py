"""Channels behind one interface (`base.Channel`), and the registry built from settings."""

from __future__ import annotations

from alrim.notify.channels.base import Channel, ChannelSession, Outgoing, SendResult
from alrim.settings import Settings


def channels_from_settings(settings: Settings) -> dict[str, Channel]:
    from alrim.notify.channels.email import EmailChannel
    from alrim.notify.channels.inbox import InboxChannel
    from alrim.notify.channels.webhook import WebhookChannel

    registry: dict[str, Channel] = {
        "email": EmailChannel(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            timeout=settings.smtp_timeout_seconds,
            accept_log=settings.notify_accept_log,
        ),
        "webhook": WebhookChannel(timeout=settings.webhook_timeout_seconds),
        "inbox": InboxChannel(),
    }
    if settings.sms_provider == "solapi":
        from alrim.notify.channels.sms_solapi import SolapiChannel

        if not (settings.solapi_api_key and settings.solapi_api_secret and settings.sms_sender):
            raise ValueError(
                "ALRIM_SMS_PROVIDER=solapi needs ALRIM_SOLAPI_API_KEY, ALRIM_SOLAPI_API_SECRET "
                "and ALRIM_SMS_SENDER"
            )
        registry["sms"] = SolapiChannel(
            base_url=settings.solapi_base_url,
            api_key=settings.solapi_api_key,
            api_secret=settings.solapi_api_secret,
            sender=settings.sms_sender,
            pf_id=settings.kakao_pf_id,
            template_id=settings.kakao_template_id,
        )
    elif settings.sms_provider:
        raise ValueError(f"unknown ALRIM_SMS_PROVIDER {settings.sms_provider!r} (known: solapi)")
    return registry


__all__ = ["Channel", "ChannelSession", "Outgoing", "SendResult", "channels_from_settings"]
