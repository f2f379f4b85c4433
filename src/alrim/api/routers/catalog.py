"""Catalog resources: services (list + detail), categories, agencies, regions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from alrim.api.cursor import CursorError, decode_cursor, encode_cursor, fingerprint
from alrim.api.deps import EngineDep, RegionsDep, TodayDep, read
from alrim.api.errors import ApiError
from alrim.api.listing import (
    ListFilter,
    SortOrder,
    agencies_with_counts,
    category_counts,
    service_page,
    service_record,
    validate_key,
)
from alrim.api.responses import JsonResponse
from alrim.api.schemas import (
    AgencyList,
    CategoryList,
    ErrorBody,
    RegionList,
    ServiceFields,
    ServicePage,
    ServicePublic,
)
from alrim.catalog.normalize_agency import USER_TYPE_LABELS
from alrim.catalog.regions import AmbiguousRegion, UnknownRegion
from alrim.domain.service import AgencyType
from alrim.services import catalog as catalog_service
from alrim.store import catalog_repo as repo

router = APIRouter(tags=["catalog"])

MAX_LIMIT = 200
UserType = Literal["individual", "household", "small_business", "organization"]
_NOT_FOUND = {404: {"model": ErrorBody, "description": "No such service."}}


def region_codes(regions: Any, query: str) -> list[str]:
    try:
        return catalog_service.resolve_region_filter(regions, query)
    except UnknownRegion as exc:
        raise ApiError(
            422,
            "unknown_region",
            exc.message_ko,
            "region",
            extra={"suggestions": [r.name for r in exc.suggestions]},
        ) from exc
    except AmbiguousRegion as exc:
        raise ApiError(
            422,
            "ambiguous_region",
            exc.message_ko,
            "region",
            extra={"suggestions": [r.name for r in exc.candidates]},
        ) from exc


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.get(
    "/services",
    summary="List services (filters, cursor pagination)",
    response_model=ServicePage,
)
async def list_services(
    engine: EngineDep,
    regions: RegionsDep,
    today: TodayDep,
    region: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=60,
            description="Where the person lives: 시도/시군구 name or code. Lists the services "
            "limited to that area and (unless `include_nationwide=false`) nationwide ones.",
        ),
    ] = None,
    include_nationwide: bool = True,
    category: Annotated[
        list[str] | None,
        Query(max_length=20, description="서비스분야 (repeatable; any of), see /categories."),
    ] = None,
    agency_type: Annotated[
        list[AgencyType] | None, Query(max_length=10, description="소관기관유형 (any of).")
    ] = None,
    support_type: Annotated[
        list[str] | None,
        Query(
            max_length=20,
            description="지원유형 (any of). `현금` also matches `현금(감면)`, `현금(융자)` ….",
        ),
    ] = None,
    user_type: Annotated[
        list[UserType] | None, Query(max_length=4, description="Who may apply (any of).")
    ] = None,
    open_now: Annotated[
        bool, Query(description="Only services open for applications today (상시 included).")
    ] = False,
    closing_within: Annotated[
        int | None,
        Query(ge=0, le=366, description="Only services whose application ends within N days."),
    ] = None,
    changed_since: Annotated[
        datetime | None, Query(description="Only services changed at or after this time.")
    ] = None,
    status: Literal["active", "withdrawn", "all"] = "active",
    sort: SortOrder = SortOrder.SERVICE_ID,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the previous page.")
    ] = None,
) -> JsonResponse:
    codes = region_codes(regions, region) if region else None
    closing_by = today + timedelta(days=closing_within) if closing_within is not None else None
    user_labels = [USER_TYPE_LABELS[u] for u in user_type] if user_type else None
    base = repo.ServiceFilter(
        region_codes=codes,
        include_nationwide=include_nationwide,
        categories=category,
        agency_types=[a.value for a in agency_type] if agency_type else None,
        status=None if status == "all" else status,
        open_on=today if (open_now or closing_by is not None) else None,
        closing_by=closing_by,
        changed_since=_utc(changed_since) if changed_since else None,
    )
    f = ListFilter(base=base, support_types=support_type, user_types=user_labels)
    query = fingerprint(
        {
            "codes": codes,
            "nw": include_nationwide,
            "c": category,
            "a": base.agency_types,
            "s": support_type,
            "u": user_labels,
            "o": open_now,
            "cw": closing_within,
            "cs": base.changed_since,
            "st": status,
            "sort": sort.value,
        }
    )
    after = None
    if cursor:
        try:
            after = decode_cursor(cursor, "services", query)
        except CursorError as exc:
            raise ApiError(422, "invalid_cursor", _cursor_message(exc), "cursor") from exc
        if not validate_key(sort, after):
            raise ApiError(422, "invalid_cursor", "cursor 값이 올바르지 않아요.", "cursor")
    page = await read(engine, service_page, engine, f, order=sort, after=after, limit=limit)
    next_cursor = encode_cursor("services", page.last_key, query) if page.last_key else None
    return JsonResponse(
        {"total": page.total, "limit": limit, "results": page.rows, "next_cursor": next_cursor}
    )


def _cursor_message(exc: CursorError) -> str:
    if "other filters" in str(exc):
        return "cursor는 같은 조건(필터·정렬)의 다음 쪽에만 쓸 수 있어요."
    return "cursor 값이 올바르지 않아요. 이전 응답의 next_cursor를 그대로 넘겨 주세요."


@router.get(
    "/services/{service_id}",
    summary="One service record (contract §3)",
    response_model=ServicePublic | ServiceFields,
    responses=_NOT_FOUND,  # type: ignore[arg-type]
)
async def get_service(
    service_id: Annotated[str, Path(max_length=80)],
    engine: EngineDep,
    fields: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Comma-separated top-level fields to return (service_id is always "
            "included), e.g. `name,agency,application_period`.",
        ),
    ] = None,
) -> JsonResponse:
    record = await read(engine, service_record, engine, service_id)
    if record is None:
        raise ApiError(404, "not_found", f"서비스 '{service_id}'를 찾을 수 없어요.", "service_id")
    if fields is not None:
        wanted = [f.strip() for f in fields.split(",") if f.strip()]
        unknown = [f for f in wanted if f not in record]
        if unknown:
            raise ApiError(
                422,
                "unknown_field",
                f"알 수 없는 필드예요: {', '.join(unknown)}",
                "fields",
                extra={"suggestions": sorted(record)},
            )
        record = {k: record[k] for k in ("service_id", *wanted)}
    return JsonResponse(record)


@router.get("/categories", summary="서비스분야 with service counts", response_model=CategoryList)
async def list_categories(engine: EngineDep) -> JsonResponse:
    counts = await read(engine, category_counts, engine)
    return JsonResponse({"results": [{"name": n, "count": c} for n, c in counts]})


@router.get("/agencies", summary="Agencies with service counts", response_model=AgencyList)
async def list_agencies(
    engine: EngineDep,
    agency_type: Annotated[
        list[AgencyType] | None, Query(alias="type", max_length=10, description="(any of)")
    ] = None,
) -> JsonResponse:
    types = [t.value for t in agency_type] if agency_type else None
    return JsonResponse({"results": await read(engine, agencies_with_counts, engine, types)})


@router.get("/regions", summary="시도 → 시군구", response_model=RegionList)
async def list_regions(
    regions: RegionsDep,
    sido: Annotated[
        str | None, Query(pattern=r"^\d{2}$", description="Only this 시도 (2-digit code).")
    ] = None,
) -> JsonResponse:
    return JsonResponse(
        {
            "results": [
                {**s.to_dict(), "sigungu": [g.to_dict() for g in regions.sigungus(s.code)]}
                for s in regions.sidos()
                if sido is None or s.code == sido
            ]
        }
    )
