"""Many profiles as one Polars table — one row per person — for the vectorised evaluators.

The columns mirror `alrim.domain.profile.Profile` field for field, so a table and a list of
profiles convert both ways without loss (`profiles_to_frame` / `frame_to_profiles`):

======================== ======================= ===============================================
column                   dtype                   meaning (null = unknown unless noted)
======================== ======================= ===============================================
person_id                String                  any identifier (not null)
as_of                    Date                    the day to judge on (not null)
birth_date               Date
age                      Int16                   만 나이, used only when birth_date is null
sex                      Enum(male, female)
region                   Categorical             current canonical 2- or 5-digit code
household_size           Int16
household_income_monthly Int64                   KRW per month
income_band              Enum(INCOME_BANDS)
statuses                 Int32                   bitmask over `STATUS_BITS` (not null)
statuses_complete        Boolean                 the bitmask is exhaustive (not null)
household_traits         Int32                   bitmask over `TRAIT_BITS` (not null)
household_traits_complete Boolean                (not null)
user_types               Int8                    bitmask over `USER_TYPE_BITS` (not null)
user_types_given         Boolean                 False = the contract default (not null)
business_stage           Enum(BUSINESS_STAGES)
business_industry        Enum(BUSINESS_INDUSTRIES)
organization_type        Enum(ORG_TYPES)
organization_industry    Enum(ORG_INDUSTRIES)
receiving                List(String)            service ids already received (not null)
children_birth_dates     List(Date)              null = unknown; [] = no children
moved_in_date            Date                    전입일 in the current region
fact_<name>              Boolean                 one column per yes/no fact (`Profile.facts`)
region_candidates        List(String)            optional: the current 시군구 of a divided old
                                                 구 (`Profile.region_candidates`); null or [] =
                                                 none, `region` is certain
======================== ======================= ===============================================

A missing fact column means the fact is unknown for everybody. A missing `region_candidates`
column means nobody lives under a divided old 구 (it is written only when somebody does, so
the tables of everybody else cost nothing more). `Profile.extra` is not kept.
`read_profiles` / `write_profiles` are the thin file edge (Parquet keeps every type; CSV
writes lists as `;`-joined text and reads them back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from alrim.domain.profile import (
    BUSINESS_INDUSTRIES,
    BUSINESS_STAGES,
    HOUSEHOLD_TRAIT_CODES,
    INCOME_BANDS,
    ORG_INDUSTRIES,
    ORG_TYPES,
    STATUS_CODES,
    USER_TYPES,
    Profile,
)

STATUS_BITS: dict[str, int] = {name: 1 << i for i, name in enumerate(STATUS_CODES)}
TRAIT_BITS: dict[str, int] = {name: 1 << i for i, name in enumerate(HOUSEHOLD_TRAIT_CODES)}
USER_TYPE_BITS: dict[str, int] = {name: 1 << i for i, name in enumerate(USER_TYPES)}
SEXES = ("male", "female")

FACT_PREFIX = "fact_"
CANDIDATES = "region_candidates"
CANDIDATES_DTYPE = pl.List(pl.String())

PROFILE_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.String(),
    "as_of": pl.Date(),
    "birth_date": pl.Date(),
    "age": pl.Int16(),
    "sex": pl.Enum(SEXES),
    "region": pl.Categorical(),
    "household_size": pl.Int16(),
    "household_income_monthly": pl.Int64(),
    "income_band": pl.Enum(INCOME_BANDS),
    "statuses": pl.Int32(),
    "statuses_complete": pl.Boolean(),
    "household_traits": pl.Int32(),
    "household_traits_complete": pl.Boolean(),
    "user_types": pl.Int8(),
    "user_types_given": pl.Boolean(),
    "business_stage": pl.Enum(BUSINESS_STAGES),
    "business_industry": pl.Enum(BUSINESS_INDUSTRIES),
    "organization_type": pl.Enum(ORG_TYPES),
    "organization_industry": pl.Enum(ORG_INDUSTRIES),
    "receiving": pl.List(pl.String()),
    "children_birth_dates": pl.List(pl.Date()),
    "moved_in_date": pl.Date(),
}

# Columns that may be absent from an input table, and the value that stands for "not given".
_DEFAULTS: dict[str, Any] = {
    "statuses": 0,
    "statuses_complete": False,
    "household_traits": 0,
    "household_traits_complete": False,
    "user_types": USER_TYPE_BITS["individual"],
    "user_types_given": False,
    "receiving": [],
}
_LIST_COLUMNS = ("receiving", "children_birth_dates", CANDIDATES)
_LIST_SEPARATOR = ";"


class ProfileTableError(ValueError):
    """A profile table has a column that cannot be read as the schema says."""


def encode_bits(values: Iterable[str], bits: Mapping[str, int], what: str) -> int:
    mask = 0
    for value in values:
        try:
            mask |= bits[value]
        except KeyError:
            raise ProfileTableError(f"unknown {what} {value!r}") from None
    return mask


def decode_bits(mask: int, bits: Mapping[str, int]) -> frozenset[str]:
    return frozenset(name for name, bit in bits.items() if mask & bit)


def fact_column(fact: str) -> str:
    return FACT_PREFIX + fact


def fact_columns(df: pl.DataFrame) -> list[str]:
    return [c for c in df.columns if c.startswith(FACT_PREFIX)]


# ---------------------------------------------------------------------------------------------
# Profiles ↔ frame.


def profiles_to_frame(
    profiles: Sequence[Profile], ids: Sequence[str] | None = None
) -> pl.DataFrame:
    """One row per profile (ids default to "0", "1", …)."""
    if ids is not None and len(ids) != len(profiles):
        raise ProfileTableError("ids and profiles differ in length")
    cols: dict[str, list[Any]] = {name: [] for name in PROFILE_SCHEMA}
    fact_names = sorted({f for p in profiles for f in p.facts})
    facts: dict[str, list[bool | None]] = {f: [] for f in fact_names}
    for i, p in enumerate(profiles):
        cols["person_id"].append(ids[i] if ids is not None else str(i))
        cols["as_of"].append(p.as_of)
        cols["birth_date"].append(p.birth_date)
        cols["age"].append(p.age)
        cols["sex"].append(p.sex)
        cols["region"].append(p.region)
        cols["household_size"].append(p.household_size)
        cols["household_income_monthly"].append(p.household_income_monthly)
        cols["income_band"].append(p.income_band)
        cols["statuses"].append(encode_bits(p.statuses, STATUS_BITS, "status"))
        cols["statuses_complete"].append(p.statuses_complete)
        cols["household_traits"].append(encode_bits(p.household_traits, TRAIT_BITS, "trait"))
        cols["household_traits_complete"].append(p.household_traits_complete)
        cols["user_types"].append(encode_bits(p.user_types, USER_TYPE_BITS, "user type"))
        cols["user_types_given"].append(p.user_types_given)
        cols["business_stage"].append(p.business_stage)
        cols["business_industry"].append(p.business_industry)
        cols["organization_type"].append(p.organization_type)
        cols["organization_industry"].append(p.organization_industry)
        cols["receiving"].append(sorted(p.receiving))
        cols["children_birth_dates"].append(
            list(p.children_birth_dates) if p.children_birth_dates is not None else None
        )
        cols["moved_in_date"].append(p.moved_in_date)
        for f in fact_names:
            facts[f].append(p.facts.get(f))
    series = [pl.Series(name, values, dtype=PROFILE_SCHEMA[name]) for name, values in cols.items()]
    if any(p.region_candidates for p in profiles):
        candidates = [list(p.region_candidates) or None for p in profiles]
        series.append(pl.Series(CANDIDATES, candidates, dtype=CANDIDATES_DTYPE))
    series += [pl.Series(fact_column(f), values, dtype=pl.Boolean) for f, values in facts.items()]
    return pl.DataFrame(series)


def frame_to_profiles(df: pl.DataFrame) -> list[Profile]:
    """The profiles a table describes (row order kept)."""
    df = conform(df)
    facts = {c[len(FACT_PREFIX) :]: df[c].to_list() for c in fact_columns(df)}
    columns = {name: df[name].to_list() for name in PROFILE_SCHEMA}
    candidates = df[CANDIDATES].to_list() if CANDIDATES in df.columns else [None] * df.height
    out: list[Profile] = []
    for i in range(df.height):
        row = {name: values[i] for name, values in columns.items()}
        children = row["children_birth_dates"]
        out.append(
            Profile(
                as_of=row["as_of"],
                birth_date=row["birth_date"],
                age=row["age"],
                sex=row["sex"],
                region=row["region"],
                region_candidates=tuple(candidates[i] or ()),
                household_size=row["household_size"],
                household_income_monthly=row["household_income_monthly"],
                income_band=row["income_band"],
                statuses=decode_bits(row["statuses"], STATUS_BITS),
                statuses_complete=row["statuses_complete"],
                household_traits=decode_bits(row["household_traits"], TRAIT_BITS),
                household_traits_complete=row["household_traits_complete"],
                user_types=decode_bits(row["user_types"], USER_TYPE_BITS),
                user_types_given=row["user_types_given"],
                business_stage=row["business_stage"],
                business_industry=row["business_industry"],
                organization_type=row["organization_type"],
                organization_industry=row["organization_industry"],
                receiving=frozenset(row["receiving"] or ()),
                children_birth_dates=tuple(children) if children is not None else None,
                moved_in_date=row["moved_in_date"],
                facts={f: v[i] for f, v in facts.items() if v[i] is not None},
            )
        )
    return out


def conform(df: pl.DataFrame, as_of: date | None = None) -> pl.DataFrame:
    """Cast a table to the schema: add absent optional columns, check the types.

    `person_id` defaults to the row number and `as_of` to the given date; every other absent
    column is unknown (or the contract default for bitmasks and flags).
    """
    optional = {CANDIDATES: CANDIDATES_DTYPE} if CANDIDATES in df.columns else {}
    if df.schema == {**PROFILE_SCHEMA, **optional, **{c: pl.Boolean() for c in fact_columns(df)}}:
        return df
    exprs: list[pl.Expr] = []
    for name, dtype in PROFILE_SCHEMA.items():
        if name in df.columns:
            exprs.append(_cast(df, name, dtype))
        elif name == "person_id":
            exprs.append(pl.int_range(pl.len()).cast(pl.String).alias(name))
        elif name == "as_of":
            if as_of is None:
                raise ProfileTableError("the table has no as_of column; give as_of")
            exprs.append(pl.lit(as_of, pl.Date).alias(name))
        elif name in _DEFAULTS:
            exprs.append(pl.lit(_DEFAULTS[name], dtype).alias(name))
        else:
            exprs.append(pl.lit(None, dtype).alias(name))
    exprs += [_cast(df, name, dtype) for name, dtype in optional.items()]
    exprs += [_cast(df, c, pl.Boolean()) for c in fact_columns(df)]
    return df.select(exprs)


def _cast(df: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    current = df.schema[name]
    if current == dtype:
        return pl.col(name)
    try:
        df.select(pl.col(name).head(1000).cast(dtype, strict=True))
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise ProfileTableError(f"column {name!r}: cannot read {current} as {dtype}") from exc
    expr = pl.col(name).cast(dtype, strict=True)
    if name in _DEFAULTS:
        expr = expr.fill_null(pl.lit(_DEFAULTS[name], dtype))
    return expr


# ---------------------------------------------------------------------------------------------
# Files (the edge).


def write_profiles(df: pl.DataFrame, path: Path | str) -> None:
    """Write a profile table as Parquet (`.parquet`) or CSV (anything else)."""
    path = Path(path)
    df = conform(df)
    if path.suffix == ".parquet":
        df.write_parquet(path)
        return
    flat = df.with_columns(
        pl.col(c).cast(pl.List(pl.String)).list.join(_LIST_SEPARATOR)
        for c in _LIST_COLUMNS
        if c in df.columns
    )
    flat.with_columns(
        pl.col(c).cast(pl.String) for c, t in flat.schema.items() if isinstance(t, pl.Categorical)
    ).write_csv(path)


def read_profiles(path: Path | str, as_of: date | None = None) -> pl.DataFrame:
    """Read a profile table from Parquet or CSV and conform it to the schema."""
    path = Path(path)
    if path.suffix == ".parquet":
        return conform(pl.read_parquet(path), as_of)
    raw = pl.read_csv(path, infer_schema_length=0)  # every column as text
    exprs: list[pl.Expr] = []
    for name in raw.columns:
        col = pl.col(name)
        if name in _LIST_COLUMNS:
            inner = pl.Date if name == "children_birth_dates" else pl.String
            exprs.append(
                pl.when(col.is_null())
                .then(pl.lit([] if name == "receiving" else None, pl.List(inner)))
                .otherwise(
                    pl.when(col == "")
                    .then(pl.lit([], pl.List(inner)))
                    .otherwise(_split(col, inner))
                )
                .alias(name)
            )
        elif name.startswith(FACT_PREFIX) or PROFILE_SCHEMA.get(name) == pl.Boolean():
            exprs.append(
                col.str.to_lowercase().replace_strict(
                    {"true": True, "false": False, "1": True, "0": False}, return_dtype=pl.Boolean
                )
            )
        elif name in PROFILE_SCHEMA and PROFILE_SCHEMA[name] == pl.Date():
            exprs.append(col.str.to_date("%Y-%m-%d"))
        else:
            exprs.append(col)
    return conform(raw.select(exprs), as_of)


def _split(col: pl.Expr, inner: type[pl.DataType]) -> pl.Expr:
    parts = col.str.split(_LIST_SEPARATOR)
    if inner is pl.Date:
        return parts.list.eval(pl.element().str.to_date("%Y-%m-%d"))
    return parts
