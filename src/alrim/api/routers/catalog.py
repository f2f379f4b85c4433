"""Catalog resources: services (list + detail), regions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from alrim.api.deps import EngineDep, RegionsDep
from alrim.api.errors import ApiError
from alrim.catalog.regions import AmbiguousRegion, UnknownRegion
from alrim.services import catalog as catalog_service
from alrim.store import catalog_repo as repo

router = APIRouter(tags=["catalog"])


@router.get("/services", summary="List services")
def list_services(
    engine: EngineDep,
    regions: RegionsDep,
    region: Annotated[
        str | None, Query(max_length=60, description="시도/시군구 name or code")
    ] = None,
    category: Annotated[list[str] | None, Query()] = None,
    agency_type: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[
        str | None, Query(max_length=80, description="cursor: last service_id")
    ] = None,
) -> dict[str, Any]:
    codes = None
    if region:
        try:
            codes = catalog_service.resolve_region_filter(regions, region)
        except (UnknownRegion, AmbiguousRegion) as exc:
            raise ApiError(422, "unknown_region", str(exc), "region") from exc
    f = repo.ServiceFilter(region_codes=codes, categories=category, agency_types=agency_type)
    listing = catalog_service.list_services(engine, f, limit=limit, after_id=after)
    nxt = listing.services[-1]["service_id"] if len(listing.services) == limit else None
    return {"total": listing.total, "results": listing.services, "next": nxt}


@router.get("/services/{service_id}", summary="One service record (contract §3)")
def get_service(service_id: str, engine: EngineDep) -> dict[str, Any]:
    service = catalog_service.get_service(engine, service_id)
    if service is None:
        raise ApiError(404, "not_found", f"서비스 {service_id} 를 찾을 수 없어요.", "service_id")
    return service.to_dict()


@router.get("/regions", summary="시도 and 시군구")
def list_regions(regions: RegionsDep) -> dict[str, Any]:
    return {
        "results": [
            {**s.to_dict(), "sigungu": [g.to_dict() for g in regions.sigungus(s.code)]}
            for s in regions.sidos()
        ]
    }
