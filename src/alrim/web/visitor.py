"""What the pages keep about a visitor: only their answers, only in their signed session cookie.

Nothing here touches the database. The session holds:
- ``profile``: the contract §1 profile built from the answers (no `as_of`: judged on today);
- ``done``: the keys of questions answered or skipped (so they are not asked again);
- ``skipped``: the subset answered "잘 모르겠어요";
- ``history``: for "이전 질문": each answered key with the old values of what it changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request

from alrim.catalog.regions import RegionTable
from alrim.domain.profile import Profile
from alrim.eligibility.profile_input import ProfileError, parse_profile

MAX_RECEIVING = 60  # keeps the cookie well under 4 KB
MAX_HISTORY = 12


def stored_profile(request: Request) -> dict[str, Any]:
    profile = request.session.get("profile")
    return dict(profile) if isinstance(profile, dict) else {}


def has_answers(request: Request) -> bool:
    profile = stored_profile(request)
    return bool(set(profile) - {"receiving"}) or bool(request.session.get("done"))


def profile_of(request: Request, regions: RegionTable, today: date) -> Profile:
    """The visitor's profile, judged on `today`. A stored profile that no longer parses (a
    region code retired since, say) is dropped rather than shown as an error."""
    data = stored_profile(request)
    data.pop("as_of", None)
    try:
        return parse_profile(data, regions=regions, today=today)
    except ProfileError:
        request.session.pop("profile", None)
        return Profile(as_of=today)


def done_keys(request: Request) -> list[str]:
    return list(request.session.get("done") or [])


def skipped_keys(request: Request) -> list[str]:
    return list(request.session.get("skipped") or [])


def _remember(request: Request, key: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    """One undo step: the question's key and the old value of each field the answer changed
    (None = the field was absent), so the cookie stays small."""
    changed = {k: before.get(k) for k in set(before) | set(after) if before.get(k) != after.get(k)}
    history = list(request.session.get("history") or [])
    history.append({"key": key, "before": changed})
    request.session["history"] = history[-MAX_HISTORY:]


def record_answer(request: Request, key: str, new_profile: dict[str, Any]) -> None:
    _remember(request, key, stored_profile(request), new_profile)
    request.session["profile"] = new_profile
    _mark_done(request, key)


def record_skip(request: Request, key: str) -> None:
    _remember(request, key, {}, {})
    skipped = skipped_keys(request)
    if key not in skipped:
        skipped.append(key)
    request.session["skipped"] = skipped
    _mark_done(request, key)


def undo_last(request: Request) -> bool:
    history = list(request.session.get("history") or [])
    if not history:
        return False
    last = history.pop()
    request.session["history"] = history
    profile = stored_profile(request)
    for name, value in (last.get("before") or {}).items():
        if value is None:
            profile.pop(name, None)
        else:
            profile[name] = value
    request.session["profile"] = profile
    key = last.get("key")
    request.session["done"] = [k for k in done_keys(request) if k != key]
    request.session["skipped"] = [k for k in skipped_keys(request) if k != key]
    return True


def _mark_done(request: Request, key: str) -> None:
    done = done_keys(request)
    if key not in done:
        done.append(key)
    request.session["done"] = done


def set_receiving(request: Request, service_id: str, receiving: bool) -> None:
    profile = stored_profile(request)
    ids = [s for s in profile.get("receiving") or [] if s != service_id]
    if receiving:
        ids.append(service_id)
    if ids:
        profile["receiving"] = ids[-MAX_RECEIVING:]
    else:
        profile.pop("receiving", None)
    request.session["profile"] = profile


def receiving_ids(request: Request) -> list[str]:
    return list(stored_profile(request).get("receiving") or [])


def forget(request: Request) -> None:
    """Drop everything but the CSRF token."""
    token = request.session.get("csrf")
    request.session.clear()
    if token:
        request.session["csrf"] = token
