"""Search resources: Korean search over the catalog (contract §4) and autocomplete."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from alrim.api.deps import EngineDep, RegionsDep, TodayDep
from alrim.api.errors import ApiError
from alrim.api.responses import JsonResponse
from alrim.api.routers.catalog import region_codes
from alrim.api.schemas import Open
from alrim.services import search as search_service

router = APIRouter(tags=["search"])

UserType = Literal["individual", "household", "small_business", "organization"]


class SearchHitOut(Open):
    service_id: str
    name: str
    score: float = Field(description="Relevance (higher is better); equal scores by 조회수.")
    agency: str
    region: str | None = Field(description="The 시도/시군구 the service is limited to, or null.")
    categories: list[str]
    views: int | None = Field(description="조회수.")
    open_now: bool = Field(description="Open for applications today.")


class SearchResponse(Open):
    query: str
    results: list[SearchHitOut]
    total: int = Field(description="Services that match, after filters.")
    limit: int
    offset: int
    did_you_mean: str | None = Field(
        description="The corrected query when a word was mistyped; the results are for it."
    )
    searched: str | None = Field(default=None, description="The query actually searched.")
    completed: dict[str, list[str]] | None = Field(
        default=None, description="Half-typed words and the words they were completed to."
    )


class SuggestedService(Open):
    service_id: str
    name: str


class SuggestResponse(Open):
    query: str
    words: list[str] = Field(description="Known words that complete the prefix.")
    services: list[SuggestedService] = Field(description="Services whose name matches, by 조회수.")


@router.get(
    "/search",
    summary="Search services in Korean (contract §4)",
    response_model=SearchResponse,
)
def search(
    engine: EngineDep,
    regions: RegionsDep,
    today: TodayDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="What to look for, in everyday words: 아기 낳으면 받는 돈, 청년월세, "
            "ㅊㄴㅇㅅ …",
        ),
    ],
    region: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=60,
            description="Where the person lives (시도/시군구 name or code): services limited "
            "to that area and nationwide ones.",
        ),
    ] = None,
    category: Annotated[
        list[str] | None,
        Query(
            max_length=20, description="서비스분야 (repeatable; any of; '교육' matches 보육·교육)."
        ),
    ] = None,
    user_type: Annotated[
        list[UserType] | None, Query(max_length=4, description="Who may apply (any of).")
    ] = None,
    open_now: Annotated[
        bool, Query(description="Only services open for applications today.")
    ] = False,
    as_of: Annotated[
        date | None, Query(description="Judge 'today' as this date (default: today in Korea).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=search_service.MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> JsonResponse:
    request = search_service.SearchRequest(
        query=q,
        as_of=as_of or today,
        region_codes=region_codes(regions, region) if region else None,
        categories=category or (),
        audiences=user_type or (),
        open_now=open_now,
        limit=limit,
        offset=offset,
    )
    try:
        return JsonResponse(search_service.search(engine, request, regions=regions))
    except search_service.SearchError as exc:
        raise ApiError(422, "invalid_request", str(exc), exc.field) from exc


@router.get(
    "/search/suggest",
    summary="Autocomplete words and service names (prefix or 초성)",
    response_model=SuggestResponse,
)
def suggest(
    engine: EngineDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=60, description="The start of a word, or 초성 (ㅊㄴㅇㅅ)."),
    ],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> JsonResponse:
    return JsonResponse(search_service.suggestions(engine, q, limit))
