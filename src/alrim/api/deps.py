"""Dependencies shared by routers (`Annotated` aliases, FastAPI style).

They are `async def` although they do not await: FastAPI runs a plain `def` dependency in a
worker thread, a hop that would cost more than the dependency itself."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from alrim.catalog.regions import RegionTable
from alrim.services.catalog import korea_today
from alrim.settings import Settings

T = TypeVar("T")


async def get_engine_dep(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_regions(request: Request) -> RegionTable:
    regions: RegionTable = request.app.state.regions
    return regions


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def read(engine: Engine, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run a catalog read. On SQLite (a local file in WAL mode: readers never wait for
    writers, queries take well under a millisecond) it runs right here — a hop to a worker
    thread would cost more than the query. Other databases are reached over the network, so
    their reads go to a worker thread and the event loop keeps serving meanwhile."""
    if engine.dialect.name == "sqlite":
        return fn(*args, **kwargs)
    return await run_in_threadpool(functools.partial(fn, *args, **kwargs))


async def get_today() -> date:
    """Today in Korea: the default day services are judged open and profiles are judged on."""
    return korea_today()


EngineDep = Annotated[Engine, Depends(get_engine_dep)]
RegionsDep = Annotated[RegionTable, Depends(get_regions)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
TodayDep = Annotated[date, Depends(get_today)]
