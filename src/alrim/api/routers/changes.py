"""The change feed: the catalog's change log, paged by position, for incremental sync."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from alrim.api.cursor import CursorError, decode_cursor, encode_cursor
from alrim.api.deps import EngineDep, read
from alrim.api.errors import ApiError
from alrim.api.listing import change_page, last_change_id
from alrim.api.responses import JsonResponse
from alrim.api.schemas import ChangePage

router = APIRouter(tags=["changes"])

_KIND = "changes"
_QUERY = "log"  # a change cursor carries its own position and `since`


@router.get(
    "/changes",
    summary="Changes to the catalog since a time or a cursor (oldest first)",
    response_model=ChangePage,
)
async def list_changes(
    engine: EngineDep,
    since: Annotated[
        datetime | None,
        Query(
            description="ISO time; entries at or after it. A cursor keeps the `since` "
            "it was made with; `since` beside a cursor is ignored."
        ),
    ] = None,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the previous page or sync."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JsonResponse:
    after_id = 0
    if cursor:
        after_id, since = _position(cursor)
    elif since is not None:
        since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
    # Read before the page: when nothing matches, every entry up to here is older than
    # `since`, and the next sync can start after them.
    ceiling = await read(engine, last_change_id, engine)
    rows, more = await read(
        engine, change_page, engine, since=since, after_id=after_id, limit=limit
    )
    last = rows[-1]["id"] if rows else max(after_id, ceiling)
    position = [last, since.isoformat() if since else None]
    return JsonResponse(
        {
            "results": rows,
            "next_cursor": encode_cursor(_KIND, position, _QUERY),
            "has_more": more,
        }
    )


def _position(cursor: str) -> tuple[int, datetime | None]:
    bad = ApiError(422, "invalid_cursor", "cursor 값이 올바르지 않아요.", "cursor")
    try:
        position = decode_cursor(cursor, _KIND, _QUERY)
    except CursorError as exc:
        raise bad from exc
    if len(position) != 2 or not isinstance(position[0], int) or position[0] < 0:
        raise bad
    if position[0] > 2**62:
        raise bad
    since = None
    if position[1] is not None:
        try:
            since = datetime.fromisoformat(str(position[1]))
        except ValueError as exc:
            raise bad from exc
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
    return position[0], since
