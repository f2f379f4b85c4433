"""gov24 live, from the data.go.kr open API (행정안전부 대한민국 공공서비스(혜택) 정보, 15113968).

``GET https://api.odcloud.kr/api/gov24/v3/{serviceList|serviceDetail|supportConditions}``
with ``page``, ``perPage``, ``returnType=JSON`` and ``serviceKey``. An answer is the odcloud
envelope ``{page, perPage, totalCount, currentCount, matchCount, data: [...]}``; a refused key
gives HTTP 401 with ``{"code": -4, "msg": "등록되지 않은 인증키 입니다."}``.

Paging, retries, the rate limit and the checkpoint are `paged_api`'s. The key is given as
the portal shows it, "Decoding" or "Encoding" form (it is decoded once before use).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from alrim.catalog.sources.base import RawRecord, Rejected, SourceRun
from alrim.catalog.sources.gov24_files import canonical_endpoint
from alrim.catalog.sources.gov24_rows import ENDPOINTS, gov24_record
from alrim.catalog.sources.paged_api import (
    Failure,
    FailureKind,
    FetchOptions,
    LiveFetch,
    RetryPolicy,
    utc_now,
)

DEFAULT_BASE_URL = "https://api.odcloud.kr/api/gov24/v3/"


class OdcloudPages:
    """The odcloud page shape (`paged_api.PageFormat`)."""

    key_param = "serviceKey"

    def params(self, page: int, per_page: int) -> dict[str, str]:
        return {"page": str(page), "perPage": str(per_page), "returnType": "JSON"}

    def rows(self, body: Any) -> list[Any]:
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise ValueError("the answer has no 'data' array")
        data: list[Any] = body["data"]
        return data

    def total(self, body: Any) -> int | None:
        value = body.get("totalCount") if isinstance(body, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def error(self, body: Any) -> tuple[FailureKind, str] | None:
        if not isinstance(body, dict) or "data" in body or "code" not in body:
            return None
        message = str(body.get("msg") or body.get("message") or "")
        kind: FailureKind = "auth" if "인증" in message or body.get("code") == -4 else "api"
        return kind, f"the API reported an error (code {body.get('code')}): {message}"


class Gov24ApiSource:
    """gov24 rows fetched live. After `records()`: `run` and `failure` (None when all went
    well; otherwise why the run stopped — ``failure.kind == "auth"`` for a refused key).

    ``complete=False`` marks the run partial whatever happens (nothing will be withdrawn);
    ``complete=True`` is only honoured when every page was fetched."""

    dataset = "gov24"

    def __init__(
        self,
        service_key: str | None,
        *,
        endpoints: Sequence[str] = ENDPOINTS,
        base_url: str = DEFAULT_BASE_URL,
        per_page: int = 1000,
        rate_limit: float = 2.0,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        checkpoint_dir: Path | str | None = None,
        resume: bool = True,
        resume_max_age: timedelta = timedelta(days=1),
        offline: bool = False,
        complete: bool | None = None,
        fetched_at: datetime | None = None,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        if offline and checkpoint_dir is None:
            raise ValueError("offline reading needs checkpoint_dir")
        if not offline and not service_key:
            raise ValueError("a data.go.kr service key is needed (or offline=True)")
        names = [canonical_endpoint(e) for e in endpoints]
        base = base_url.rstrip("/") + "/"
        options = FetchOptions(
            per_page=per_page,
            rate_limit=rate_limit,
            retry=retry or RetryPolicy(),
            timeout=timeout,
            checkpoint_dir=Path(checkpoint_dir) if checkpoint_dir is not None else None,
            resume=resume,
            resume_max_age=resume_max_age,
            offline=offline,
        )
        self._fetch = LiveFetch(
            endpoints=[(name, base + name) for name in names],
            key=service_key,
            page_format=OdcloudPages(),
            options=options,
            read_row=gov24_record,
            client=client,
            sleep=sleep,
            clock=clock,
            now=now,
            rng=rng,
        )
        self.run = SourceRun(complete=False, fetched_at=fetched_at, endpoints=tuple(names))
        self.failure: Failure | None = None
        self._complete = complete

    def __repr__(self) -> str:  # never show the key
        return f"Gov24ApiSource(endpoints={[e for e, _ in self._fetch.endpoints]})"

    def records(self) -> Iterator[RawRecord | Rejected]:
        try:
            yield from self._fetch.records()
        finally:
            outcome = self._fetch.outcome
            outcome.fold_into(self.run, caller_says=self._complete)
            self.failure = outcome.failure
