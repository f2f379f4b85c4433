"""Bulk export of the whole catalog, streamed in constant memory: JSON Lines (one contract §3
record per line) and CSV (flat columns, UTF-8 with a BOM so Excel reads Korean)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Engine

from alrim.api.deps import EngineDep
from alrim.api.edge import etag_matches
from alrim.api.listing import catalog_version, export_batches

router = APIRouter(tags=["export"])

Status = Literal["active", "withdrawn", "all"]

CSV_COLUMNS = (
    "service_id",
    "status",
    "name",
    "agency_name",
    "agency_type",
    "agency_code",
    "region_code",
    "region_name",
    "categories",
    "support_types",
    "user_types",
    "summary",
    "target_text",
    "criteria_text",
    "benefit_text",
    "how_to_apply",
    "documents",
    "contact",
    "apply_url",
    "detail_url",
    "legal_basis",
    "period_kind",
    "period_start",
    "period_end",
    "period_text",
    "views",
    "updated_at",
    "source_dataset",
    "fetched_at",
)
LIST_SEPARATOR = " | "


def _statuses(status: Status) -> list[str]:
    return ["active", "withdrawn"] if status == "all" else [status]


def csv_row(status: str, record: dict[str, Any]) -> list[Any]:
    agency = record.get("agency") or {}
    region = record.get("region") or {}
    period = record.get("application_period") or {}
    source = record.get("source") or {}

    def joined(name: str) -> str:
        return LIST_SEPARATOR.join(str(v) for v in record.get(name) or [])

    return [
        record.get("service_id"),
        status,
        record.get("name"),
        agency.get("name"),
        agency.get("type"),
        agency.get("code"),
        region.get("code"),
        region.get("name"),
        joined("categories"),
        joined("support_types"),
        joined("user_types"),
        record.get("summary"),
        record.get("target_text"),
        record.get("criteria_text"),
        record.get("benefit_text"),
        record.get("how_to_apply"),
        record.get("documents"),
        LIST_SEPARATOR.join(c.get("text") or "" for c in record.get("contact") or []),
        record.get("apply_url"),
        record.get("detail_url"),
        joined("legal_basis"),
        period.get("kind"),
        period.get("start"),
        period.get("end"),
        period.get("text"),
        record.get("views"),
        record.get("updated_at"),
        source.get("dataset"),
        source.get("fetched_at"),
    ]


def csv_stream(engine: Engine, statuses: list[str]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for batch in export_batches(engine, statuses=statuses):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(csv_row(status, record) for status, record in batch)
        yield buffer.getvalue().encode("utf-8")


def jsonl_stream(engine: Engine, statuses: list[str]) -> Iterator[bytes]:
    for batch in export_batches(engine, statuses=statuses):
        yield "".join(
            json.dumps({**record, "status": status}, ensure_ascii=False) + "\n"
            for status, record in batch
        ).encode("utf-8")


def _export(
    request: Request,
    engine: Engine,
    status: Status,
    media_type: str,
    filename: str,
    stream: Any,
) -> Response:
    version = catalog_version(engine) or "empty"
    etag = f'W/"export-{version}-{status}-{filename}"'
    headers = {
        "etag": etag,
        "cache-control": "no-cache",
        "content-disposition": f'attachment; filename="{filename}"',
        "x-catalog-version": version,
    }
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return StreamingResponse(
        stream(engine, _statuses(status)), media_type=media_type, headers=headers
    )


_STATUS_QUERY = Query(description="Which services: active (default), withdrawn or all.")
_CSV_RESPONSE = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}
_JSONL_RESPONSE = {
    200: {
        "content": {
            "application/jsonl": {
                "schema": {"type": "string", "description": "One service record per line."}
            }
        }
    }
}


@router.get(
    "/export.csv",
    summary="The whole catalog as CSV (UTF-8 with BOM)",
    response_class=StreamingResponse,
    responses=_CSV_RESPONSE,  # type: ignore[arg-type]
)
def export_csv(
    request: Request, engine: EngineDep, status: Annotated[Status, _STATUS_QUERY] = "active"
) -> Response:
    return _export(
        request, engine, status, "text/csv; charset=utf-8", "alrim-services.csv", csv_stream
    )


@router.get(
    "/export.jsonl",
    summary="The whole catalog as JSON Lines (one contract §3 record per line)",
    response_class=StreamingResponse,
    responses=_JSONL_RESPONSE,  # type: ignore[arg-type]
)
def export_jsonl(
    request: Request, engine: EngineDep, status: Annotated[Status, _STATUS_QUERY] = "active"
) -> Response:
    return _export(
        request,
        engine,
        status,
        "application/jsonl; charset=utf-8",
        "alrim-services.jsonl",
        jsonl_stream,
    )
