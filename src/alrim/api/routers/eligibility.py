"""`POST /eligibility`: a contract §1 profile in, the contract §2 result out.

Privacy: the profile is read, judged and forgotten. It is never stored, never logged (no
request-body logging anywhere in the API; unexpected errors on this route are logged without
even the exception's message), and the answer is marked `Cache-Control: no-store`.
"""

from __future__ import annotations

import importlib
import json
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import StringConstraints
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from alrim.api.deps import EngineDep, RegionsDep, TodayDep
from alrim.api.errors import ApiError
from alrim.api.responses import JsonResponse
from alrim.api.schemas import EligibilityResult, ErrorBody
from alrim.eligibility.profile_input import ProfileError, parse_profile, profile_schema

router = APIRouter(tags=["eligibility"])

MAX_BODY_BYTES = 64 * 1024
MAX_SERVICE_IDS = 500
ServiceId = Annotated[str, StringConstraints(min_length=1, max_length=80)]


def _request_schema() -> dict[str, Any]:
    """The profile's JSON Schema (2020-12, which OpenAPI 3.1 speaks natively)."""
    schema = {k: v for k, v in profile_schema().items() if k not in ("$schema", "$id")}
    schema.setdefault("description", "A citizen profile (contract §1). Every field is optional.")
    return schema


def eligibility_engine(engine: Engine) -> Any:
    """The eligibility engine for this catalog, or a 503 while it is not installed."""
    try:
        module = importlib.import_module("alrim.services.eligibility")
    except ModuleNotFoundError as exc:
        if exc.name is not None and "alrim.services.eligibility".startswith(exc.name):
            raise ApiError(503, "unavailable", "자격 판정 기능을 아직 쓸 수 없어요.", None) from exc
        raise
    return module.get_eligibility(engine)


REFRESH_SECONDS = 1.0
_engines: dict[int, tuple[float, Any]] = {}  # id(database engine) → (fetched at, checker)


async def current_engine(engine: Engine) -> Any:
    """The eligibility engine, asked for in a worker thread (it reads the catalog version and
    rebuilds after an ingest, which takes seconds) at most once a second per process; the
    event loop never waits on a rebuild."""
    now = time.monotonic()
    held = _engines.get(id(engine))
    if held is not None and now - held[0] < REFRESH_SECONDS:
        return held[1]
    checker = await run_in_threadpool(eligibility_engine, engine)
    _engines[id(engine)] = (now, checker)
    return checker


async def read_json_body(request: Request) -> Any:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", "프로필이 너무 커요 (64KB까지).", None)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise ApiError(413, "payload_too_large", "프로필이 너무 커요 (64KB까지).", None)
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(422, "invalid_json", "본문이 올바른 JSON이 아니에요.", None) from exc


@router.post(
    "/eligibility",
    summary="Judge a posted profile against the catalog (contract §1 → §2)",
    response_model=EligibilityResult,
    responses={
        413: {"model": ErrorBody, "description": "The body is larger than 64 KB."},
        503: {"model": ErrorBody, "description": "The eligibility engine is not available."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _request_schema()}},
        }
    },
)
async def check_eligibility(
    request: Request,
    engine: EngineDep,
    regions: RegionsDep,
    today: TodayDep,
    include_all: Annotated[
        bool,
        Query(alias="all", description="Also list ineligible services (with their reasons)."),
    ] = False,
    service_ids: Annotated[
        list[ServiceId] | None,
        Query(max_length=MAX_SERVICE_IDS, description="Judge only these services (repeatable)."),
    ] = None,
) -> JsonResponse:
    data = await read_json_body(request)
    try:
        profile = parse_profile(data, regions=regions, today=today)
    except ProfileError as exc:
        raise ApiError(
            422,
            "invalid_profile",
            exc.message,
            exc.field,
            extra={"message_en": exc.message_en, "suggestions": list(exc.suggestions)},
        ) from None  # the profile's values stay out of any chained traceback
    checker = await current_engine(engine)
    # Judging is pure computation on data in memory (a few ms): done right here, a hop to a
    # worker thread would only add its own cost (the GIL lets one of them run at a time).
    result = checker.check(profile, include_ineligible=include_all, service_ids=service_ids)
    return JsonResponse(result, headers={"cache-control": "no-store"})
