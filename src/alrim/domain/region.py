"""Administrative regions (시도 / 시군구) as the domain sees them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RegionLevel(StrEnum):
    SIDO = "sido"  # 광역시도 (2-digit code)
    SIGUNGU = "sigungu"  # 시군구, including 자치구 and 일반구 (5-digit code)


@dataclass(frozen=True, slots=True)
class Region:
    """One 시도 or 시군구, identified by its 법정동 code prefix (2 or 5 digits).

    `code` is always the *current* code; older codes and names resolve to it through the
    alias table (see `alrim.catalog.regions`).
    """

    code: str
    name: str  # full official name, e.g. "서울특별시 종로구"
    level: RegionLevel
    sido_code: str  # the first two digits of the current code
    parent_code: str | None = None  # for a 일반구 (e.g. 수원시 장안구): the 시 code

    @property
    def is_sido(self) -> bool:
        return self.level is RegionLevel.SIDO

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "name": self.name, "level": self.level.value}
