"""Fetch every page of a paged open-data API, politely, resumably, without leaking the key.

Shared by the live gov24 (odcloud) and 온통청년 sources. What an API looks like (its query
parameters, where the rows and the total are in the answer, how it reports errors inside a
200 answer) is described by a `PageFormat`; everything else is here:

* retries with exponential backoff and jitter on connection errors, timeouts, 429 and 5xx
  (a ``Retry-After`` header is respected), and on a body that is not valid JSON;
* a rate limit (default 2 requests/s);
* a checkpoint folder: every page fetched is saved as the raw JSON answer in
  ``<checkpoint>/<endpoint>/page-0001.json``, with ``_meta.json`` beside it. A rerun after a
  failure continues where it stopped; a finished checkpoint can be re-read offline;
* the key never appears in logs, error messages or checkpoint files.

A fetch never raises for network or HTTP trouble: it stops, and says why in `failure`.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import unquote

import httpx

from alrim.catalog.sources.base import RawRecord, Rejected, SourceRun
from alrim.catalog.sources.files import raw_json

log = logging.getLogger(__name__)

FailureKind = Literal["auth", "http", "network", "body", "api", "checkpoint"]

USER_AGENT = "alrim-catalog/0.1"


def utc_now() -> datetime:
    return datetime.now(UTC)


# -- keeping the key secret -------------------------------------------------------------------


class Redactor:
    """Replaces a secret with ``***`` in any text, however much of it is URL-encoded
    (``/`` or ``%2F``, ``+`` or ``%2B``…), whether it was given decoded or encoded."""

    def __init__(self, *secrets: str | None) -> None:
        patterns = []
        for secret in secrets:
            if not secret or len(secret) < 4:
                continue
            decoded = unquote(secret)
            for form in {decoded, secret}:
                patterns.append("".join(_char_pattern(ch) for ch in form))
        self._pattern = (
            re.compile("|".join(sorted(set(patterns), key=len, reverse=True))) if patterns else None
        )

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub("***", text)


def _char_pattern(ch: str) -> str:
    """A character or any percent-encoding of it (``+`` also stands for a space)."""
    encoded = "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
    options = [re.escape(ch), "(?i:" + re.escape(encoded) + ")"]
    if ch == " ":
        options.append(r"\+")
    return "(?:" + "|".join(options) + ")"


class _RedactingFilter(logging.Filter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


# httpx logs every request URL (with its query string) at INFO; httpcore logs at DEBUG.
_HTTP_LOGGERS = ("httpx", "httpcore")


# -- politeness -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a page is retried."""

    max_attempts: int = 5
    base_delay: float = 1.0  # seconds before the 2nd attempt; doubles each time
    max_delay: float = 60.0  # cap for both the backoff and a server's Retry-After
    jitter: float = 0.5  # each delay is scaled by a random factor in [1 - jitter, 1]

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        base = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return base * (1.0 - self.jitter * rng.random())


class RateLimiter:
    """At most `per_second` requests per second (spacing, not bursts). 0 or less: no limit."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        if self.interval <= 0:
            return
        now = self._clock()
        if self._next is not None and now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """A Retry-After header (seconds or an HTTP date) in seconds, or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


# -- what differs between APIs ----------------------------------------------------------------


class PageFormat(Protocol):
    """The shape of one paged API."""

    key_param: str  # query parameter carrying the key

    def params(self, page: int, per_page: int) -> dict[str, str]: ...

    def rows(self, body: Any) -> list[Any]:
        """The rows of a page; ValueError if the body has no rows array."""
        ...

    def total(self, body: Any) -> int | None: ...

    def error(self, body: Any) -> tuple[FailureKind, str] | None:
        """An error the API reported inside a 200 answer, if any."""
        ...


@dataclass(frozen=True, slots=True)
class Failure:
    kind: FailureKind
    message: str  # redacted; says what happened and what to do
    retryable: bool = False
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    rows: list[Any]
    total: int | None
    fetched_at: datetime
    from_checkpoint: bool
    ref: str  # "api:serviceList page 3" or "checkpoint:serviceList/page-0003.json"


# -- the checkpoint folder --------------------------------------------------------------------


class Checkpoint:
    """Pages of one endpoint saved as raw JSON: ``<root>/<endpoint>/page-0001.json``.

    ``_meta.json`` records the page size, the total, when each page was fetched and whether
    the last run finished. No URL or key is ever written here.
    """

    def __init__(self, root: Path, endpoint: str) -> None:
        self.folder = Path(root) / endpoint
        self.endpoint = endpoint
        self.meta_path = self.folder / "_meta.json"

    def page_path(self, number: int) -> Path:
        return self.folder / f"page-{number:04d}.json"

    def load_meta(self) -> dict[str, Any] | None:
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def save_meta(self, meta: dict[str, Any]) -> None:
        self._write(self.meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode())

    def read_page(self, number: int) -> bytes | None:
        try:
            return self.page_path(number).read_bytes()
        except OSError:
            return None

    def write_page(self, number: int, raw: bytes) -> None:
        self._write(self.page_path(number), raw)

    def reset(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)

    def _write(self, path: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)


class CheckpointRun:
    """The state of a whole run in ``<checkpoint>/_run.json``: when it started, which
    endpoints it covers and whether every page of every endpoint was fetched.

    A run resumes the pages of an earlier run only if that run did not finish and started
    less than `max_age` ago; otherwise the endpoints' folders are cleared. So a run that failed
    on serviceDetail reuses the serviceList it had fetched, while next week's run starts over.
    """

    def __init__(self, root: Path, endpoints: list[str], now: Callable[[], datetime]) -> None:
        self.root = Path(root)
        self.path = self.root / "_run.json"
        self.endpoints = endpoints
        self.now = now

    def _load(self) -> dict[str, Any] | None:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) else None

    def start(self, *, resume: bool, max_age: timedelta) -> tuple[bool, str | None]:
        """Decide whether to resume; clear the endpoints' folders if not. Returns
        (resuming, why not)."""
        state = self._load()
        why: str | None = None
        if state is None:
            why = None
        elif not resume:
            why = "resume is off"
        elif state.get("finished"):
            why = "the previous run finished"
        else:
            started = _parse_iso(state.get("started_at"))
            if started is None or self.now() - started > max_age:
                why = "the unfinished run is too old"
        resuming = state is not None and why is None
        if not resuming:
            for endpoint in self.endpoints:
                Checkpoint(self.root, endpoint).reset()
        started_at = state.get("started_at") if resuming and state else self.now().isoformat()
        self._save({"started_at": started_at, "finished": False, "endpoints": self.endpoints})
        return resuming, why

    def finish(self) -> None:
        state = self._load() or {"started_at": self.now().isoformat(), "endpoints": self.endpoints}
        state["finished"] = True
        state["finished_at"] = self.now().isoformat()
        self._save(state)

    def _save(self, state: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


# -- the fetcher ------------------------------------------------------------------------------


@dataclass(slots=True)
class FetchOptions:
    """Tuning shared by the live sources."""

    per_page: int = 1000
    rate_limit: float = 2.0  # requests per second
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 60.0  # seconds per request (connect and read)
    checkpoint_dir: Path | None = None
    resume: bool = True  # reuse the pages of an unfinished run in checkpoint_dir
    resume_max_age: timedelta = timedelta(days=1)  # older unfinished checkpoints start over
    offline: bool = False  # read checkpoint_dir only; never touch the network
    max_pages: int = 10_000  # a safety stop against an endless answer


class PagedFetcher:
    """Yields the pages of one endpoint in order. After iteration: `complete`, `failure`,
    `notes`, `total`, `rows`, `fetched_at` (earliest page).

    With a checkpoint, pages already saved are read from it when `resume` is true; otherwise
    the endpoint's checkpoint folder is cleared first."""

    def __init__(
        self,
        *,
        endpoint: str,
        url: str,
        key: str | None,
        page_format: PageFormat,
        options: FetchOptions,
        client: httpx.Client | None,
        redact: Redactor,
        limiter: RateLimiter,
        resume: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.resume = resume  # reuse the pages saved in the checkpoint (see `CheckpointRun`)
        self.url = url
        self.key = unquote(key) if key else None  # an "encoding" key is decoded once
        self.format = page_format
        self.options = options
        self.client = client
        self.redact = redact
        self.limiter = limiter
        self.sleep = sleep
        self.now = now
        self.rng = rng or random.Random()
        self.checkpoint = (
            Checkpoint(options.checkpoint_dir, endpoint) if options.checkpoint_dir else None
        )
        self.complete = False
        self.failure: Failure | None = None
        self.notes: list[str] = []
        self.total: int | None = None
        self.rows = 0
        self.fetched_at: datetime | None = None
        self.pages_fetched = 0
        self.pages_reused = 0
        self._meta: dict[str, Any] = {}

    # -- checkpoint bookkeeping --

    def _start_meta(self) -> dict[str, Any]:
        fresh: dict[str, Any] = {
            "endpoint": self.endpoint,
            "per_page": self.options.per_page,
            "started_at": self.now().isoformat(),
            "finished": False,
            "total": None,
            "pages": {},
        }
        cp = self.checkpoint
        if cp is None:
            return fresh
        meta = cp.load_meta()
        if self.options.offline:
            if meta is None:
                self.notes.append(f"{self.endpoint}: no checkpoint in {cp.folder}")
                return fresh
            return meta
        if meta is None or not self.resume:
            cp.reset()
            return fresh
        if meta.get("per_page") != self.options.per_page:
            log.info(
                "%s: starting afresh, the page size changed (%s → %s)",
                self.endpoint,
                meta.get("per_page"),
                self.options.per_page,
            )
            cp.reset()
            return fresh
        return meta

    # -- iteration --

    def pages(self) -> Iterator[Page]:
        meta = self._meta = self._start_meta()
        saved: dict[str, str] = meta.setdefault("pages", {})
        seen_totals: set[int] = set()
        number = 1
        filters = _install_log_filters(self.redact)
        try:
            while number <= self.options.max_pages:
                page = self._page(number, saved)
                if page is None:
                    break
                if page.total is not None:
                    seen_totals.add(page.total)
                    self.total = page.total
                self.rows += len(page.rows)
                if self.fetched_at is None or page.fetched_at < self.fetched_at:
                    self.fetched_at = page.fetched_at
                yield page
                if not page.rows:
                    break
                if self.total is not None and self.rows >= self.total:
                    break
                if self.total is None and len(page.rows) < self.options.per_page:
                    break
                number += 1
            else:
                self.notes.append(f"{self.endpoint}: stopped after {self.options.max_pages} pages")
        finally:
            _remove_log_filters(filters)
        self._conclude(meta, seen_totals)

    def _conclude(self, meta: dict[str, Any], seen_totals: set[int]) -> None:
        ok = self.failure is None
        if ok and len(seen_totals) > 1:
            ok = False
            shown = ", ".join(f"{t:,}" for t in sorted(seen_totals))
            self.notes.append(
                f"{self.endpoint}: totalCount changed during the run ({shown}); "
                "rows may have shifted between pages"
            )
        if ok and self.total is not None and self.rows != self.total:
            ok = False
            self.notes.append(
                f"{self.endpoint}: {self.rows:,} rows received, totalCount {self.total:,}"
            )
        if ok and self.total is None:
            self.notes.append(f"{self.endpoint}: the API did not state totalCount")
        self.complete = ok
        if self.failure is not None:
            self.notes.append(f"{self.endpoint}: {self.failure.message}")
        if self.checkpoint is not None and not self.options.offline:
            meta["total"] = self.total
            meta["finished"] = ok
            self.checkpoint.save_meta(meta)
        if self.pages_reused:
            self.notes.append(
                f"{self.endpoint}: {self.pages_reused} page(s) reused from the checkpoint"
            )

    def _page(self, number: int, saved: dict[str, str]) -> Page | None:
        cp = self.checkpoint
        if cp is not None and str(number) in saved:
            raw = cp.read_page(number)
            page = self._parse_saved(number, raw, saved[str(number)]) if raw else None
            if page is not None:
                self.pages_reused += 1
                return page
            if self.options.offline:
                self.failure = Failure(
                    "checkpoint", f"page {number} in the checkpoint is missing or unreadable"
                )
                return None
            saved.pop(str(number), None)
        if self.options.offline:
            if cp is None or (not saved and number == 1):
                self.failure = Failure("checkpoint", "offline, and there is no checkpoint to read")
            else:
                self.failure = Failure(
                    "checkpoint", f"offline, and page {number} was never fetched"
                )
            return None
        fetched = self._fetch(number)
        if fetched is None:
            return None
        raw, body, fetched_at = fetched
        self.pages_fetched += 1
        if cp is not None:
            cp.write_page(number, raw)
            saved[str(number)] = fetched_at.isoformat()
            cp.save_meta(self._meta)
        return Page(
            number=number,
            rows=self.format.rows(body),
            total=self.format.total(body),
            fetched_at=fetched_at,
            from_checkpoint=False,
            ref=f"api:{self.endpoint} page {number}",
        )

    def _parse_saved(self, number: int, raw: bytes, when: str) -> Page | None:
        assert self.checkpoint is not None
        try:
            body = json.loads(raw)
            rows = self.format.rows(body)
        except ValueError:
            log.warning(
                "%s: checkpoint page %d is unreadable; fetching it again", self.endpoint, number
            )
            return None
        return Page(
            number=number,
            rows=rows,
            total=self.format.total(body),
            fetched_at=_parse_iso(when) or self.now(),
            from_checkpoint=True,
            ref=f"checkpoint:{self.endpoint}/{self.checkpoint.page_path(number).name}",
        )

    # -- one page over the network --

    def _fetch(self, number: int) -> tuple[bytes, Any, datetime] | None:
        if self.client is None or not self.key:
            self.failure = Failure("auth", "no API key given, so the API cannot be called")
            return None
        params = self.format.params(number, self.options.per_page)
        params[self.format.key_param] = self.key
        policy = self.options.retry
        failure: Failure | None = None
        for attempt in range(1, policy.max_attempts + 1):
            self.limiter.wait()
            result = self._attempt(number, params)
            if not isinstance(result, Failure):
                return result
            failure = result
            if not failure.retryable or attempt == policy.max_attempts:
                break
            delay = policy.delay(attempt, self.rng)
            if failure.retry_after is not None:
                delay = max(delay, min(failure.retry_after, policy.max_delay))
            log.warning(
                "%s page %d: %s; retry %d/%d in %.1fs",
                self.endpoint,
                number,
                failure.message,
                attempt,
                policy.max_attempts - 1,
                delay,
            )
            self.sleep(delay)
        assert failure is not None
        if failure.retryable:
            failure = Failure(
                failure.kind,
                f"page {number} failed after {policy.max_attempts} attempts: {failure.message}",
            )
        log.error("%s: %s", self.endpoint, failure.message)
        self.failure = failure
        return None

    def _attempt(
        self, number: int, params: dict[str, str]
    ) -> tuple[bytes, Any, datetime] | Failure:
        assert self.client is not None
        where = f"{self.endpoint} page {number}"
        try:
            response = self.client.get(self.url, params=params)
        except httpx.TimeoutException as exc:
            return Failure("network", f"{where}: timed out ({type(exc).__name__})", True)
        except httpx.TransportError as exc:
            detail = self.redact(str(exc)) or type(exc).__name__
            return Failure("network", f"{where}: connection failed: {detail}", True)
        status = response.status_code
        if status in (401, 403):
            return Failure(
                "auth",
                f"the API refused the key (HTTP {status}{_snippet(response, self.redact)}); "
                "check that the service key is right and approved for this API",
            )
        if status == 429 or status >= 500:
            wait = retry_after_seconds(response.headers.get("Retry-After"), self.now())
            return Failure(
                "http", f"{where}: HTTP {status}{_snippet(response, self.redact)}", True, wait
            )
        if status >= 400:
            return Failure("http", f"{where}: HTTP {status}{_snippet(response, self.redact)}")
        raw = response.content
        try:
            body = json.loads(raw)
        except ValueError as exc:
            return Failure(
                "body", f"{where}: the answer is not valid JSON (truncated?): {exc}", True
            )
        reported = self.format.error(body)
        if reported is not None:
            kind, message = reported
            return Failure(kind, self.redact(message), kind not in ("auth", "api"))
        try:
            self.format.rows(body)
        except ValueError as exc:
            return Failure("body", f"{where}: {self.redact(str(exc))}", True)
        return raw, body, self.now()


def _snippet(response: httpx.Response, redact: Redactor) -> str:
    text = response.text.strip().replace("\n", " ")
    if not text:
        return ""
    return ": " + redact(text[:200])


def _parse_iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _install_log_filters(redact: Redactor) -> list[tuple[logging.Logger, logging.Filter]]:
    installed: list[tuple[logging.Logger, logging.Filter]] = []
    for name in _HTTP_LOGGERS:
        logger = logging.getLogger(name)
        flt = _RedactingFilter(redact)
        logger.addFilter(flt)
        installed.append((logger, flt))
    return installed


def _remove_log_filters(installed: list[tuple[logging.Logger, logging.Filter]]) -> None:
    for logger, flt in installed:
        logger.removeFilter(flt)


def make_client(options: FetchOptions) -> httpx.Client:
    """An httpx client with the source's timeout and a descriptive User-Agent."""
    return httpx.Client(
        timeout=httpx.Timeout(options.timeout),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=True,
    )


@dataclass(slots=True)
class LiveRun:
    """Outcome of fetching several endpoints, folded into a `SourceRun` by the source."""

    complete: bool = True
    fetched_at: datetime | None = None
    notes: list[str] = field(default_factory=list)
    failure: Failure | None = None
    endpoints: list[str] = field(default_factory=list)  # endpoints at least partly read
    keyless: int = 0  # rows rejected without a readable key
    finished: bool = False  # False if the reader stopped iterating early

    def add(self, fetcher: PagedFetcher) -> None:
        self.complete = self.complete and fetcher.complete
        self.notes.extend(fetcher.notes)
        if fetcher.fetched_at and (self.fetched_at is None or fetcher.fetched_at < self.fetched_at):
            self.fetched_at = fetcher.fetched_at
        if fetcher.failure and self.failure is None:
            self.failure = fetcher.failure
        if fetcher.rows or fetcher.complete:
            self.endpoints.append(fetcher.endpoint)

    def fold_into(self, run: SourceRun, *, caller_says: bool | None = None) -> None:
        """Set `run` from the outcome. A caller's ``complete=False`` makes the run partial;
        ``complete=True`` cannot make a fetch that failed or stopped early complete."""
        fetched_all = self.complete and self.failure is None and self.finished
        if not self.finished:
            self.notes.append("the run was interrupted before every page was read")
        complete = fetched_all
        if self.keyless:
            complete = False
            self.notes.append(
                f"{self.keyless} row(s) without a readable id were rejected, "
                "so some services may be missing"
            )
        if caller_says is False:
            complete = False
            self.notes.append("complete=False was given by the caller")
        elif caller_says is True:
            complete = fetched_all
            if not fetched_all:
                self.notes.append("complete=True was given, but not every page was fetched")
        run.complete = complete
        run.notes.extend(self.notes)
        run.endpoints = tuple(self.endpoints)
        if run.fetched_at is None:
            run.fetched_at = self.fetched_at


RowReader = Callable[[str, dict[str, Any], str], RawRecord | Rejected]


@dataclass(slots=True)
class LiveFetch:
    """Everything one live run needs; `records()` yields the rows of every endpoint in turn
    and stops the run at the first endpoint that fails (the server is down, the key is
    refused…), so a rerun can resume from the checkpoint."""

    endpoints: list[tuple[str, str]]  # (endpoint name, URL)
    key: str | None = field(repr=False)
    page_format: PageFormat
    options: FetchOptions
    read_row: RowReader
    client: httpx.Client | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = utc_now
    rng: random.Random | None = None
    outcome: LiveRun = field(default_factory=LiveRun)

    def records(self) -> Iterator[RawRecord | Rejected]:
        redact = Redactor(self.key)
        limiter = RateLimiter(self.options.rate_limit, clock=self.clock, sleep=self.sleep)
        own_client = self.client is None and not self.options.offline and bool(self.key)
        client = make_client(self.options) if own_client else self.client
        names = [name for name, _ in self.endpoints]
        checkpoint_run = None
        resume = self.options.offline
        if self.options.checkpoint_dir is not None and not self.options.offline:
            checkpoint_run = CheckpointRun(self.options.checkpoint_dir, names, self.now)
            resume, why = checkpoint_run.start(
                resume=self.options.resume, max_age=self.options.resume_max_age
            )
            if why:
                log.info("starting a fresh checkpoint: %s", why)
        try:
            for index, (endpoint, url) in enumerate(self.endpoints):
                fetcher = PagedFetcher(
                    endpoint=endpoint,
                    url=url,
                    key=self.key,
                    page_format=self.page_format,
                    options=self.options,
                    client=client,
                    redact=redact,
                    limiter=limiter,
                    resume=resume,
                    sleep=self.sleep,
                    now=self.now,
                    rng=self.rng,
                )
                for page in fetcher.pages():
                    for i, row in enumerate(page.rows):
                        ref = f"{page.ref} [{i}]"
                        if not isinstance(row, dict):
                            self.outcome.keyless += 1
                            yield Rejected(
                                endpoint,
                                ref,
                                f"row is not an object (got {type(row).__name__})",
                                raw_json(row),
                            )
                            continue
                        record = self.read_row(endpoint, row, ref)
                        if isinstance(record, Rejected) and record.key is None:
                            self.outcome.keyless += 1
                        yield record
                self.outcome.add(fetcher)
                if fetcher.failure is not None:
                    skipped = [name for name, _ in self.endpoints[index + 1 :]]
                    if skipped:
                        self.outcome.notes.append(
                            f"not fetched because of the failure: {', '.join(skipped)}"
                        )
                    break
            self.outcome.finished = True
            if checkpoint_run is not None and self.outcome.failure is None:
                checkpoint_run.finish()
        finally:
            if own_client and client is not None:
                client.close()
