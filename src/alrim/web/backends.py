"""The use cases the pages build on (eligibility, search), found lazily.

Eligibility and search live in `alrim.services.eligibility` and `alrim.services.search`; the
pages never re-implement them. They are imported on first use so the web package loads even
where one of them is missing (the page then says the feature is not available). Tests may put
another `Backends` on `app.state.web_backends`.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from fastapi import Request
from sqlalchemy import Engine

from alrim.domain.profile import Profile


class QuestionLike(Protocol):
    field: str
    label: str
    kind: str
    options: Sequence[tuple[str, str]]
    settles: int


class ExplanationLike(Protocol):
    status: Any
    reasons: Sequence[Any]
    missing: Sequence[str]


class EligibilityLike(Protocol):
    catalog_version: str

    def check(
        self,
        profile: Profile,
        *,
        include_ineligible: bool = False,
        service_ids: Sequence[str] | None = None,
    ) -> dict[str, Any]: ...

    def explain(self, profile: Profile, service_id: str) -> ExplanationLike | None: ...

    def next_questions(self, profile: Profile, limit: int = 5) -> list[Any]: ...

    def statuses(self, profile: Profile) -> dict[str, str]: ...


class Backends:
    """The real use cases, imported on first use."""

    def _module(self, name: str) -> Any | None:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                return None
            raise

    def eligibility(self, engine: Engine) -> EligibilityLike | None:
        module = self._module("alrim.services.eligibility")
        if module is None:
            return None
        matcher: EligibilityLike = module.get_eligibility(engine)
        return matcher

    def search(
        self,
        engine: Engine,
        query: str,
        *,
        as_of: date,
        region: str | None = None,
        region_codes: Collection[str] | None = None,
        categories: Sequence[str] | None = None,
        open_now: bool = False,
        statuses: Mapping[str, str] | None = None,
        limit: int = 10,
    ) -> dict[str, Any] | None:
        """Contract §4 results, `{"results": [], "error": …}` for a request search refuses
        (its message is Korean), or None when search is not available. `region_codes`
        (already resolved) take the place of `region`."""
        module = self._module("alrim.services.search")
        if module is None:
            return None
        request = module.SearchRequest(
            query=query,
            as_of=as_of,
            region=region,
            region_codes=region_codes,
            categories=tuple(categories or ()),
            open_now=open_now,
            limit=limit,
            eligibility=statuses,
        )
        try:
            result: dict[str, Any] = module.search(engine, request)
        except module.SearchError as exc:
            return {"query": query, "results": [], "error": str(exc)}
        return result


def get_backends(request: Request) -> Backends:
    backends = getattr(request.app.state, "web_backends", None)
    if backends is None:
        backends = Backends()
        request.app.state.web_backends = backends
    assert isinstance(backends, Backends)
    return backends
