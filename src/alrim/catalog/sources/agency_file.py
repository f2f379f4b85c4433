"""The Alrim agency publishing format: an agency publishes its own services directly.

For agencies whose services are not (or not yet) in gov24 — a 지방공사, a 출자·출연기관.
One file per publisher, YAML or CSV with the same fields; see ``docs/agency-format.md``.
Each service is validated on its own: an invalid one is rejected with the field and the
problem (in English and Korean), the others are kept. Record keys are
``AG-<publisher code>-<service id>``; the endpoint is ``agency`` and the dataset
``agency:<publisher code>``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Final, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from alrim.catalog.sources.base import RawRecord, Rejected, SourceRun
from alrim.catalog.sources.files import KST, BadRow, TableFile, display_name, raw_json

log = logging.getLogger(__name__)

ENDPOINT: Final = "agency"
FORMAT_VERSION: Final = "alrim-agency/1"
LIST_SEPARATOR: Final = "||"  # as in gov24's multi-value fields

PublisherType = Literal[
    "중앙행정기관", "광역시도", "시군구", "교육청", "공공기관", "지방공기업", "지방출자_출연기관"
]
# Publishers tied to one place must say where.
LOCAL_PUBLISHER_TYPES: Final = frozenset(
    {"광역시도", "시군구", "교육청", "지방공기업", "지방출자_출연기관"}
)
# gov24's 서비스분야 values, so agency services sit in the same facets.
Category = Literal[
    "생활안정",
    "주거·자립",
    "보육·교육",
    "고용·창업",
    "보건·의료",
    "행정·안전",
    "임신·출산",
    "보호·돌봄",
    "문화·환경",
    "농림축산어업",
]
# The profile vocabulary of contracts/README.md §1.
UserType = Literal["individual", "household", "small_business", "organization"]
Status = Literal[
    "expecting_parent",
    "pregnant",
    "new_parent",
    "farmer",
    "fisher",
    "livestock_farmer",
    "forester",
    "elementary_student",
    "middle_school_student",
    "high_school_student",
    "university_student",
    "employee",
    "job_seeker",
    "disabled",
    "veteran",
    "patient",
]
HouseholdTrait = Literal[
    "multicultural",
    "north_korean_defector",
    "single_parent_or_grandparent",
    "single_person",
    "multi_child",
    "no_home",
    "newly_moved_in",
    "extended_family",
]

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_SERVICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def _split_list(value: Any) -> Any:
    """A text in a list field is split on ``||`` (one item if there is no separator)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    return value


def _no_duplicates(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                "duplicate_item", "'{value}' is listed twice", {"value": value}
            )
        seen.add(value)
    return values


def _check_region(value: str) -> str:
    if value.isdigit():
        if len(value) not in (2, 5, 10):
            raise PydanticCustomError(
                "region_format",
                "a region code has 2 (시도), 5 (시군구) or 10 (법정동) digits, got {n}",
                {"n": len(value)},
            )
        return value
    if not _HANGUL.search(value):
        raise PydanticCustomError(
            "region_format", "expected a region code or a Korean region name", {}
        )
    return value


def _check_url(value: str) -> str:
    if not _URL.fullmatch(value):
        raise PydanticCustomError("url", "expected an http:// or https:// address", {})
    return value


Text = Annotated[str, Field(min_length=1, max_length=20_000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
TextList = Annotated[list[ShortText], BeforeValidator(_split_list)]
T = TypeVar("T")
UniqueList = Annotated[list[T], BeforeValidator(_split_list), AfterValidator(_no_duplicates)]
Region = Annotated[str, Field(min_length=2, max_length=60), AfterValidator(_check_region)]
Url = Annotated[str, Field(max_length=2000), AfterValidator(_check_url)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Publisher(_Strict):
    name: ShortText
    type: PublisherType
    # 행정표준기관코드 where the agency has one (e.g. "6110000"), else a short code of letters,
    # digits and "_". It is part of every record key, so it must never change.
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_]{1,39}$")]
    region: Region | None = None

    @model_validator(mode="after")
    def _local_needs_region(self) -> Publisher:
        if self.type in LOCAL_PUBLISHER_TYPES and not self.region:
            raise PydanticCustomError(
                "region_required",
                "region is required for a {type} publisher",
                {"type": self.type},
            )
        return self


class Conditions(_Strict):
    """Structured eligibility facts, named as in the citizen profile (contracts §1)."""

    age_min: Annotated[int | None, Field(default=None, ge=0, le=120)] = None
    age_max: Annotated[int | None, Field(default=None, ge=0, le=120)] = None
    sex: Literal["male", "female"] | None = None
    # Household income limit in percent of 기준 중위소득 (150 means "150 % 이하").
    income_max_ratio: Annotated[float | None, Field(default=None, ge=10, le=1000)] = None
    statuses: UniqueList[Status] | None = None
    household_traits: UniqueList[HouseholdTrait] | None = None

    @model_validator(mode="after")
    def _age_order(self) -> Conditions:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise PydanticCustomError(
                "age_range",
                "age_min ({age_min}) is greater than age_max ({age_max})",
                {"age_min": self.age_min, "age_max": self.age_max},
            )
        return self


class AgencyService(_Strict):
    id: Annotated[str, Field(pattern=_SERVICE_ID.pattern)]
    name: ShortText
    summary: Annotated[str, Field(min_length=1, max_length=2000)]
    categories: Annotated[UniqueList[Category], Field(min_length=1)]
    support_types: TextList = []
    target: Text | None = None
    criteria: Text | None = None
    benefit: Text | None = None
    how_to_apply: Text | None = None
    documents: TextList = []
    contact: Annotated[str | None, Field(default=None, min_length=1, max_length=500)] = None
    apply_url: Url | None = None
    detail_url: Url | None = None
    legal_basis: TextList = []
    application_period: Annotated[str | None, Field(default=None, max_length=500)] = None
    user_types: UniqueList[UserType] = []
    region: Region | None = None  # only if narrower than the publisher's region
    conditions: Conditions | None = None
    updated_at: date | None = None


class AgencyDocument(_Strict):
    """The YAML file around the services."""

    format: Literal["alrim-agency/1"]
    publisher: Publisher
    published_at: date | datetime | None = None
    # True: the file lists every service of this publisher (one missing from it is withdrawn).
    complete: bool = True
    # Free text for people reading the file (e.g. "예시 파일이에요"); not published.
    notice: str | None = None
    services: list[Any]


# -- error messages in English and Korean -----------------------------------------------------

_LABELS: Final[dict[str, str]] = {
    "format": "형식 버전",
    "publisher": "게시 기관",
    "published_at": "게시일",
    "complete": "전체 목록 여부",
    "notice": "안내문",
    "services": "서비스 목록",
    "type": "기관 유형",
    "code": "기관 코드",
    "id": "서비스 ID",
    "name": "이름",
    "summary": "서비스 요약",
    "categories": "서비스 분야",
    "support_types": "지원 유형",
    "target": "지원 대상",
    "criteria": "선정 기준",
    "benefit": "지원 내용",
    "how_to_apply": "신청 방법",
    "documents": "구비 서류",
    "contact": "문의처",
    "apply_url": "신청 주소",
    "detail_url": "상세 안내 주소",
    "legal_basis": "근거 법령",
    "application_period": "신청 기한",
    "user_types": "이용자 구분",
    "region": "지역",
    "conditions": "자격 조건",
    "age_min": "최소 나이",
    "age_max": "최대 나이",
    "sex": "성별",
    "income_max_ratio": "소득 기준(기준 중위소득 %)",
    "statuses": "대상 상태",
    "household_traits": "가구 특성",
    "updated_at": "수정일",
}

_KOREAN: Final[dict[str, str]] = {
    "missing": "꼭 적어야 하는 항목이에요",
    "extra_forbidden": "정해진 항목이 아니에요 (철자를 확인해 주세요)",
    "string_too_short": "비어 있어요",
    "too_short": "하나 이상 적어야 해요",
    "string_too_long": "너무 길어요 (최대 {max_length}자)",
    "string_pattern_mismatch": "형식이 맞지 않아요 (영문·숫자로 적어 주세요)",
    "literal_error": "정해진 값이 아니에요 (가능한 값: {expected})",
    "greater_than_equal": "{ge} 이상이어야 해요",
    "less_than_equal": "{le} 이하여야 해요",
    "int_parsing": "정수여야 해요",
    "int_type": "정수여야 해요",
    "int_from_float": "정수여야 해요",
    "float_parsing": "숫자여야 해요",
    "float_type": "숫자여야 해요",
    "string_type": "글자로 적어야 해요",
    "list_type": "목록으로 적어야 해요",
    "dict_type": "항목 묶음으로 적어야 해요",
    "model_type": "항목 묶음으로 적어야 해요",
    "model_attributes_type": "항목 묶음으로 적어야 해요",
    "bool_parsing": "true 또는 false로 적어야 해요",
    "bool_type": "true 또는 false로 적어야 해요",
    "date_parsing": "날짜(YYYY-MM-DD)로 적어야 해요",
    "date_from_datetime_parsing": "날짜(YYYY-MM-DD)로 적어야 해요",
    "date_type": "날짜(YYYY-MM-DD)로 적어야 해요",
    "datetime_parsing": "날짜(YYYY-MM-DD)로 적어야 해요",
    "datetime_type": "날짜(YYYY-MM-DD)로 적어야 해요",
    "duplicate_item": "같은 값이 두 번 있어요 ({value})",
    "region_format": "지역은 2·5·10자리 코드나 지역 이름으로 적어야 해요",
    "region_required": "지방 기관({type})은 지역을 꼭 적어야 해요",
    "url": "http:// 또는 https://로 시작하는 주소여야 해요",
    "age_range": "최소 나이({age_min})가 최대 나이({age_max})보다 커요",
}


# Errors whose message does not already say what was given.
_SHOW_INPUT: Final = frozenset(_KOREAN) - {
    "missing",
    "extra_forbidden",
    "duplicate_item",
    "region_required",
    "age_range",
}


def _where(loc: tuple[int | str, ...]) -> tuple[str, str]:
    english = ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in loc)
    english = english.replace(".[", "[")
    korean = " > ".join(
        f"{part + 1}번째" if isinstance(part, int) else _LABELS.get(part, part) for part in loc
    )
    return english or "(row)", korean or "(행)"


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _korean(error: ErrorDetails) -> str:
    template = _KOREAN.get(error["type"], "값이 올바르지 않아요")
    ctx = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def describe_errors(exc: ValidationError, *, limit: int = 5) -> str:
    """``field: English problem / 항목: 한국어 설명`` for each error, joined by ``; ``."""
    parts = []
    errors = exc.errors(include_url=False)
    for error in errors[:limit]:
        english_where, korean_where = _where(tuple(error["loc"]))
        english = error["msg"]
        value = error.get("input")
        if error["type"] in _SHOW_INPUT and not isinstance(value, dict | list):
            english += f" (got {repr(value)[:60]})"
        parts.append(f"{english_where}: {english} / {korean_where}: {_korean(error)}")
    if len(errors) > limit:
        parts.append(f"… and {len(errors) - limit} more")
    return "; ".join(parts)


# -- reading ----------------------------------------------------------------------------------

# CSV columns: the publisher's four, the service fields, the conditions flattened.
PUBLISHER_COLUMNS: Final = (
    "publisher_name",
    "publisher_type",
    "publisher_code",
    "publisher_region",
)
CONDITION_COLUMNS: Final = tuple(Conditions.model_fields)
SERVICE_COLUMNS: Final = tuple(f for f in AgencyService.model_fields if f != "conditions")
CSV_COLUMNS: Final = PUBLISHER_COLUMNS + SERVICE_COLUMNS + CONDITION_COLUMNS
REQUIRED_CSV_COLUMNS: Final = (
    "publisher_name",
    "publisher_type",
    "publisher_code",
    "id",
    "name",
    "summary",
    "categories",
)


@dataclass(slots=True)
class _Parsed:
    publisher: Publisher | None
    published_at: datetime | None
    complete: bool
    items: list[tuple[str, Any]]  # (ref, service mapping or BadRow) in file order
    error: str | None


def _as_datetime(value: date | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=KST)
    return datetime(value.year, value.month, value.day, tzinfo=KST)


def _parse_yaml(path: Path) -> _Parsed:
    name = display_name(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return _Parsed(None, None, False, [], f"{name}: cannot read the YAML: {exc}")
    if not isinstance(doc, dict):
        return _Parsed(None, None, False, [], f"{name}: expected a mapping at the top")
    try:
        header = AgencyDocument.model_validate(doc)
    except ValidationError as exc:
        return _Parsed(None, None, False, [], f"{name}: {describe_errors(exc)}")
    items = [(f"{name}#services[{i}]", item) for i, item in enumerate(header.services)]
    return _Parsed(
        header.publisher, _as_datetime(header.published_at), header.complete, items, None
    )


def _csv_service(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row → the service mapping as YAML would give it (empty cells are absent)."""
    values = {k: v.strip() for k, v in row.items() if v is not None and v.strip()}
    service: dict[str, Any] = {k: v for k, v in values.items() if k in SERVICE_COLUMNS}
    conditions = {k: v for k, v in values.items() if k in CONDITION_COLUMNS}
    if conditions:
        service["conditions"] = conditions
    return service


def _parse_csv(path: Path) -> _Parsed:
    name = display_name(path)
    table = TableFile(path, format="csv")
    items: list[tuple[str, Any]] = []
    publisher: Publisher | None = None
    first: dict[str, str] | None = None
    for row in table.rows():
        if isinstance(row, BadRow):
            items.append((row.ref, row))
            continue
        if first is None:
            unknown = sorted(set(row.data) - set(CSV_COLUMNS))
            missing = [c for c in REQUIRED_CSV_COLUMNS if c not in row.data]
            if unknown or missing:
                problem = "; ".join(
                    [f"unknown column(s) {', '.join(unknown)}"] * bool(unknown)
                    + [f"missing column(s) {', '.join(missing)}"] * bool(missing)
                )
                return _Parsed(None, None, False, [], f"{name}: {problem}")
            first = {c: (row.data.get(c) or "").strip() for c in PUBLISHER_COLUMNS}
            try:
                publisher = Publisher.model_validate(
                    {k.removeprefix("publisher_"): v for k, v in first.items() if v}
                )
            except ValidationError as exc:
                detail = describe_errors(exc).replace("(row)", "publisher")
                return _Parsed(None, None, False, [], f"{name}: publisher: {detail}")
        differing = [c for c in PUBLISHER_COLUMNS if (row.data.get(c) or "").strip() != first[c]]
        if differing:
            items.append(
                (
                    row.ref,
                    BadRow(
                        row.ref,
                        f"{', '.join(differing)} differs from the first row; one file is one "
                        "publisher / 한 파일에는 한 기관의 서비스만 적어요",
                        raw_json(row.data),
                    ),
                )
            )
            continue
        items.append((row.ref, _csv_service(row.data)))
    if table.info.error:
        return _Parsed(publisher, None, False, items, table.info.error)
    if first is None:
        return _Parsed(None, None, False, [], f"{name}: no services in the file")
    return _Parsed(publisher, None, True, items, None)


def _parse(path: Path) -> _Parsed:
    suffix = path.name.lower()
    if suffix.endswith((".yaml", ".yml")):
        return _parse_yaml(path)
    if suffix.endswith((".csv", ".csv.gz")):
        return _parse_csv(path)
    return _Parsed(None, None, False, [], f"{path.name}: expected a .yaml, .yml or .csv file")


def agency_key(publisher_code: str, service_id: str) -> str:
    return f"AG-{publisher_code}-{service_id}"


class AgencyFileSource:
    """One publisher's file in the Alrim agency format (YAML or CSV)."""

    def __init__(
        self,
        path: Path | str,
        *,
        complete: bool | None = None,
        fetched_at: datetime | None = None,
    ) -> None:
        self.path = Path(path)
        self._parsed = _parse(self.path)
        publisher = self._parsed.publisher
        self.publisher = publisher
        self.dataset = f"agency:{publisher.code if publisher else self.path.stem}"
        self._complete = complete
        self.run = SourceRun(
            complete=False,
            fetched_at=fetched_at or self._parsed.published_at,
            endpoints=(ENDPOINT,),
        )

    def records(self) -> Iterator[RawRecord | Rejected]:
        parsed = self._parsed
        run = self.run
        if parsed.error:
            log.warning("agency file %s: %s", self.path, parsed.error)
            run.notes.append(parsed.error)
        publisher = parsed.publisher
        keyless = rejected = 0
        if publisher is not None:
            seen: dict[str, str] = {}
            for ref, item in parsed.items:
                result = self._read(ref, item, publisher, seen)
                if isinstance(result, Rejected):
                    rejected += 1
                    keyless += result.key is None
                yield result
        ok = parsed.error is None and publisher is not None and parsed.complete
        if keyless:
            ok = False
            run.notes.append(f"{keyless} service(s) without a usable id were rejected")
        if rejected:
            run.notes.append(
                f"{rejected} service(s) rejected; keep (do not withdraw) the ids they name"
            )
        if parsed.error is None and not parsed.complete:
            run.notes.append("the file says complete: false (a partial list)")
        run.complete = ok if self._complete is None else self._complete

    def _read(
        self, ref: str, item: Any, publisher: Publisher, seen: dict[str, str]
    ) -> RawRecord | Rejected:
        if isinstance(item, BadRow):
            return Rejected(ENDPOINT, ref, item.reason, item.raw)
        if not isinstance(item, dict):
            return Rejected(
                ENDPOINT,
                ref,
                f"a service must be a mapping, got {type(item).__name__} / "
                "서비스는 항목 묶음으로 적어야 해요",
                raw_json(item),
            )
        raw_id = item.get("id")
        key = None
        if isinstance(raw_id, str) and _SERVICE_ID.fullmatch(raw_id.strip()):
            key = agency_key(publisher.code, raw_id.strip())
        try:
            service = AgencyService.model_validate(item)
        except ValidationError as exc:
            return Rejected(ENDPOINT, ref, describe_errors(exc), raw_json(item), key=key)
        key = agency_key(publisher.code, service.id)
        if service.id in seen:
            return Rejected(
                ENDPOINT,
                ref,
                f"id: duplicate id {service.id!r} (first at {seen[service.id]}) / "
                f"서비스 ID: 같은 ID가 두 번 있어요",
                raw_json(item),
                key=key,
            )
        seen[service.id] = ref
        data = service.model_dump(mode="json")
        data["publisher"] = publisher.model_dump(mode="json")
        return RawRecord(endpoint=ENDPOINT, key=key, data=data, ref=ref)


def validate_agency_file(path: Path | str) -> list[str]:
    """Every problem in an agency file, one line each (empty when the file is valid)."""
    source = AgencyFileSource(path)
    problems = [r.ref + ": " + r.reason for r in source.records() if isinstance(r, Rejected)]
    if source._parsed.error:
        problems.insert(0, source._parsed.error)
    return problems
