"""The pages' routes, one module per page family."""

from __future__ import annotations

from fastapi import APIRouter

from alrim.web.routes import browse, home, questionnaire, results, service

router = APIRouter(include_in_schema=False)
for module in (home, browse, questionnaire, results, service):
    router.include_router(module.router)
