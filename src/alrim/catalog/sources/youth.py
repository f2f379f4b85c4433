"""온통청년 youth policies (getPlcy), from files or live.

Live: ``GET https://www.youthcenter.go.kr/go/ythip/getPlcy`` with ``apiKeyNm``, ``pageNum``,
``pageSize`` and ``rtnType=json``. The answer is
``{resultCode, resultMessage, result: {pagging: {totCount, pageNum, pageSize},
youthPolicyList: [...]}}``. Files: that answer, the repo's snapshot (the same with
``totalCount``/``sampleSize`` on top), or a plain list of policies.

Every row becomes a `RawRecord` with endpoint ``youth`` keyed by ``plcyNo``.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

import httpx

from alrim.catalog.sources.base import RawRecord, Rejected, SourceRun
from alrim.catalog.sources.files import (
    BadRow,
    TableFile,
    TableTally,
    fetched_at_from_metadata,
    fetched_at_from_name,
    raw_json,
)
from alrim.catalog.sources.gov24_rows import row_problem
from alrim.catalog.sources.paged_api import (
    Failure,
    FailureKind,
    FetchOptions,
    LiveFetch,
    RetryPolicy,
    utc_now,
)

log = logging.getLogger(__name__)

ENDPOINT: Final = "youth"
POLICY_ID: Final = "plcyNo"
DEFAULT_URL = "https://www.youthcenter.go.kr/go/ythip/getPlcy"


def youth_record(endpoint: str, row: dict[str, Any], ref: str) -> RawRecord | Rejected:
    """One getPlcy policy → a record keyed by plcyNo, or a rejection with its reason."""
    value = row.get(POLICY_ID)
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        return Rejected(endpoint, ref, f"missing {POLICY_ID}", raw_json(row))
    if not isinstance(value, str):
        return Rejected(
            endpoint,
            ref,
            f"{POLICY_ID} is a {type(value).__name__} ({value!r}), expected text",
            raw_json(row),
        )
    key = value.strip()
    problem = row_problem(endpoint, row)
    if problem:
        return Rejected(endpoint, ref, problem, raw_json(row), key=key)
    return RawRecord(endpoint=endpoint, key=key, data=row, ref=ref)


class YouthPages:
    """The getPlcy page shape (`paged_api.PageFormat`)."""

    key_param = "apiKeyNm"

    def params(self, page: int, per_page: int) -> dict[str, str]:
        return {"pageNum": str(page), "pageSize": str(per_page), "rtnType": "json"}

    def rows(self, body: Any) -> list[Any]:
        result = body.get("result") if isinstance(body, dict) else None
        if not isinstance(result, dict):
            raise ValueError("the answer has no 'result' object")
        rows = result.get("youthPolicyList")
        if rows is None:
            return []
        if not isinstance(rows, list):
            raise ValueError("'result.youthPolicyList' is not a list")
        return rows

    def total(self, body: Any) -> int | None:
        result = body.get("result") if isinstance(body, dict) else None
        paging = result.get("pagging") if isinstance(result, dict) else None
        value = paging.get("totCount") if isinstance(paging, dict) else None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def error(self, body: Any) -> tuple[FailureKind, str] | None:
        if not isinstance(body, dict) or "resultCode" not in body:
            return None
        code = body.get("resultCode")
        if str(code).strip() == "200":
            return None
        message = str(body.get("resultMessage") or "")
        lowered = message.lower()
        is_auth = str(code) in ("401", "403") or "인증" in message or "key" in lowered
        kind: FailureKind = "auth" if is_auth else "api"
        return kind, f"the API reported an error (resultCode {code}): {message}"


class YouthSource:
    """온통청년 policies. Give `paths` to read files; otherwise the API is called with
    `api_key` (or, with ``offline=True``, only `checkpoint_dir` is read)."""

    dataset = "youthcenter"

    def __init__(
        self,
        paths: Path | str | Sequence[Path | str] | None = None,
        *,
        api_key: str | None = None,
        base_url: str = DEFAULT_URL,
        page_size: int = 100,
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
        self.run = SourceRun(complete=False, fetched_at=fetched_at, endpoints=(ENDPOINT,))
        self.failure: Failure | None = None
        self._complete = complete
        self._fetched_at = fetched_at
        self.paths: list[Path] = []
        self._fetch: LiveFetch | None = None
        if paths is not None:
            items = [paths] if isinstance(paths, str | Path) else list(paths)
            self.paths = [Path(p) for p in items]
            if not self.paths:
                raise ValueError("no 온통청년 files given")
            return
        if offline and checkpoint_dir is None:
            raise ValueError("offline reading needs checkpoint_dir")
        if not offline and not api_key:
            raise ValueError("an 온통청년 API key (apiKeyNm) is needed, or files, or offline=True")
        options = FetchOptions(
            per_page=page_size,
            rate_limit=rate_limit,
            retry=retry or RetryPolicy(),
            timeout=timeout,
            checkpoint_dir=Path(checkpoint_dir) if checkpoint_dir is not None else None,
            resume=resume,
            resume_max_age=resume_max_age,
            offline=offline,
        )
        self._fetch = LiveFetch(
            endpoints=[(ENDPOINT, base_url)],
            key=api_key,
            page_format=YouthPages(),
            options=options,
            read_row=youth_record,
            client=client,
            sleep=sleep,
            clock=clock,
            now=now,
            rng=rng,
        )

    def __repr__(self) -> str:  # never show the key
        mode = "live" if self._fetch is not None else f"files={[p.name for p in self.paths]}"
        return f"YouthSource({mode})"

    def records(self) -> Iterator[RawRecord | Rejected]:
        if self._fetch is None:
            yield from self._file_records()
            return
        try:
            yield from self._fetch.records()
        finally:
            outcome = self._fetch.outcome
            outcome.fold_into(self.run, caller_says=self._complete)
            self.failure = outcome.failure

    def _file_records(self) -> Iterator[RawRecord | Rejected]:
        tally = TableTally(ENDPOINT)
        stated: list[datetime] = []
        for path in self.paths:
            table = TableFile(path)
            for row in table.rows():
                if isinstance(row, BadRow):
                    tally.keyless += 1
                    yield Rejected(ENDPOINT, row.ref, row.reason, row.raw)
                    continue
                record = youth_record(ENDPOINT, row.data, row.ref)
                if isinstance(record, Rejected) and record.key is None:
                    tally.keyless += 1
                yield record
            tally.rows += table.info.rows
            tally.add_file(table.info)
            if table.info.error:
                log.warning("온통청년 file %s: %s", path, table.info.error)
                self.run.notes.append(table.info.error)
            when = fetched_at_from_metadata(table.info.metadata) or fetched_at_from_name(path)
            if when:
                stated.append(when)
        ok, note = tally.verdict()
        if note:
            self.run.notes.append(note)
        self.run.complete = ok if self._complete is None else self._complete
        if self._fetched_at is None and stated:
            self.run.fetched_at = min(stated)
