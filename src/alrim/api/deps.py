"""Dependencies shared by routers (`Annotated` aliases, FastAPI style)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from alrim.catalog.regions import RegionTable


def get_engine_dep(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_regions(request: Request) -> RegionTable:
    regions: RegionTable = request.app.state.regions
    return regions


EngineDep = Annotated[Engine, Depends(get_engine_dep)]
RegionsDep = Annotated[RegionTable, Depends(get_regions)]
