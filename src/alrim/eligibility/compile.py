"""Compile one catalog service into a `Rule`: JA codes + user type + region + text findings.

    rule = compile_service(service, regions=RegionTable.default(), text_findings=findings)

Steps (each in its own module):

1. `compile_ja.read_conditions` — the JA groups the service's applicants can have;
2. `compile_region` — the agency's region, or a 온통청년 policy's 시군구 list;
3. `compile_youth` — 온통청년 ages, income and condition codes (취업상태, 학력, 특화분야 …);
4. `merge.merge_findings` — explicit text findings win over the structured readings, every
   contradiction becomes a `Disagreement`;
5. assembly: the user type (사용자구분) decides which *tracks* the rule has. A service open to
   개인 and 법인 admits a person who meets the personal criteria OR an organisation that meets
   the organisation ones, so several tracks become `AnyOf(All(UserTypeIn(track), …), …)`.
   A 소상공인 track that admits 예비창업자 (its business stage includes `prospective`) also
   admits an individual: someone about to start a business is not one yet ("소상공인 … 또는
   예비 소상공인"), and the business stage then asks whether they are.

Pure: no I/O. The region table is passed in (only `get`/`sidos`/`sigungus` are used).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from alrim.domain.service import Service
from alrim.eligibility.compile_agency import read_agency_conditions
from alrim.eligibility.compile_ja import read_conditions
from alrim.eligibility.compile_region import (
    RegionLookup,
    read_agency_region,
    read_youth_policy_region,
)
from alrim.eligibility.compile_youth import read_youth
from alrim.eligibility.ja_codes import (
    TRACK_NAMES,
    TRACK_USER_TYPES,
    USER_TYPE_TRACK,
    Track,
    dimension_track,
)
from alrim.eligibility.merge import TextFindingLike, merge_findings
from alrim.eligibility.model import (
    All,
    AnyOf,
    BusinessStageIn,
    Criterion,
    Flag,
    Provenance,
    ProvenanceKind,
    Rule,
    UserTypeIn,
    leaves,
)
from alrim.eligibility.readings import Reading, restricted, silent
from alrim.eligibility.target_facts import target_fact

ORIGIN = "compiled"
_TRACK_ORDER = (Track.PERSONAL, Track.BUSINESS, Track.ORGANIZATION)
_USER_TYPE_NAMES = {"법인/시설/단체": "법인·시설·단체"}


def service_tracks(user_types: Sequence[str]) -> list[Track]:
    """The tracks a service is open to, from 사용자구분 (unknown names are ignored)."""
    found = {USER_TYPE_TRACK[u.strip()] for u in user_types if u.strip() in USER_TYPE_TRACK}
    return [t for t in _TRACK_ORDER if t in found]


def _user_type_ref(user_types: Sequence[str]) -> str:
    return "사용자구분 " + "||".join(user_types)


def _track_label(track: Track, user_types: Sequence[str]) -> str:
    if track is Track.PERSONAL:
        names = [u for u in ("개인", "가구") if u in user_types]
        return "·".join(names) if names else TRACK_NAMES[track]
    return TRACK_NAMES[track]


def read_user_types(user_types: Sequence[str]) -> Reading:
    """사용자구분 → `UserTypeIn` of every contract user type the service admits.

    개인 and 가구 both admit individuals and households: a person belongs to a household, and a
    household applies through a person, so neither fails the other.
    """
    tracks = service_tracks(user_types)
    if not tracks:
        return silent("user_type")
    allowed = frozenset().union(*(TRACK_USER_TYPES[t] for t in tracks))
    names = [_USER_TYPE_NAMES.get(u, u) for u in user_types if u.strip() in USER_TYPE_TRACK]
    label = f"{'·'.join(dict.fromkeys(names))} 대상"
    ref = _user_type_ref(user_types)
    criterion = UserTypeIn(
        label=label, provenance=Provenance(ProvenanceKind.SOURCE, ref), allowed=allowed
    )
    return restricted("user_type", criterion, label, ref)


def _youth(service: Service) -> dict[str, Any] | None:
    youth = service.extra.get("youth") if isinstance(service.extra, dict) else None
    return youth if isinstance(youth, dict) else None


def structured_readings(
    service: Service, regions: RegionLookup, *, target_question: str = ""
) -> dict[str, Reading]:
    """Every reading from structured sources, before text findings (ordered for display)."""
    tracks = service_tracks(service.user_types)
    personal = not tracks or Track.PERSONAL in tracks
    readings: dict[str, Reading] = {"user_type": read_user_types(service.user_types)}
    youth = _youth(service)
    if youth is not None:
        codes = [str(c) for c in youth.get("region_codes") or []]
        readings["region"] = read_youth_policy_region(service, codes, regions)
        readings.update(
            read_youth(
                youth,
                service_id=service.service_id,
                name=service.name,
                question=target_question,
            )
        )
    else:
        readings["region"] = read_agency_region(service, personal=personal)
    readings.update(read_conditions(service.conditions, tracks or None))
    agency_conditions = service.extra.get("agency_conditions") if service.extra else None
    if isinstance(agency_conditions, dict):
        readings.update(read_agency_conditions(agency_conditions))
    return readings


_FOUNDER = "individual"  # the user type of someone who has no business yet
_FOUNDER_LABEL = "예비창업자"


def _admits_founders(items: Sequence[Criterion]) -> bool:
    """Does a 소상공인 track's business stage include 예비창업자 (`prospective`)?"""
    return any(isinstance(c, BusinessStageIn) and "prospective" in c.allowed for c in items)


def _with_founders(head: UserTypeIn) -> UserTypeIn:
    """The track's user type, also admitting an individual who may be about to start."""
    if _FOUNDER in head.allowed:
        return head
    label = head.label.removesuffix(" 대상")
    return replace(head, label=f"{label}·{_FOUNDER_LABEL} 대상", allowed=head.allowed | {_FOUNDER})


def _track_option(track: Track, user_types: Sequence[str], items: list[Criterion]) -> Criterion:
    label = f"{_track_label(track, user_types)} 대상"
    head = UserTypeIn(
        label=label,
        provenance=Provenance(ProvenanceKind.SOURCE, _user_type_ref(user_types)),
        allowed=TRACK_USER_TYPES[track],
    )
    if track is Track.BUSINESS and _admits_founders(items):
        head = _with_founders(head)
    if not items:
        return head
    return All((head, *items), label=label)


def _assemble(
    criteria: dict[str, Criterion],
    origin: dict[str, str],
    tracks: list[Track],
    user_types: Sequence[str],
) -> tuple[Criterion, ...]:
    user_type = criteria.pop("user_type", None)
    by_track: dict[Track, list[Criterion]] = {t: [] for t in tracks}
    shared: list[Criterion] = []
    for dim, criterion in criteria.items():
        track = dimension_track(dim)
        if track in by_track:
            by_track[track].append(criterion)
        else:
            shared.append(criterion)

    def flat(selected: Sequence[Track]) -> list[Criterion]:
        return [c for t in selected for c in by_track[t]]

    if user_type is None:
        return (*shared, *flat(tracks))
    if origin.get("user_type") == "text" or len(tracks) <= 1:
        allowed = user_type.allowed if isinstance(user_type, UserTypeIn) else frozenset()
        active = [t for t in tracks if TRACK_USER_TYPES[t] & allowed] or tracks
        if (
            active == [Track.BUSINESS]
            and isinstance(user_type, UserTypeIn)
            and _admits_founders(by_track[Track.BUSINESS])
        ):
            user_type = _with_founders(user_type)
        return (user_type, *shared, *flat(active))
    if not any(by_track.values()):
        return (user_type, *shared)
    options = tuple(_track_option(t, user_types, by_track[t]) for t in tracks)
    label = " 또는 ".join(f"{_track_label(t, user_types)} 대상" for t in tracks)
    return (AnyOf(options, label=label), *shared)


def _target_question(service: Service, findings: Sequence[TextFindingLike]) -> str:
    """The question the text reader asks about the service's target group (or "")."""
    fact = target_fact(service.service_id)
    for finding in findings:
        if finding.criterion is None:
            continue
        for leaf in leaves(finding.criterion):
            if isinstance(leaf, Flag) and leaf.fact == fact and leaf.question:
                return leaf.question
    return ""


def compile_service(
    service: Service,
    *,
    regions: RegionLookup,
    text_findings: Sequence[TextFindingLike] = (),
) -> Rule:
    """The compiled rule of one service (JA codes + user type + region + text findings)."""
    readings = structured_readings(
        service, regions, target_question=_target_question(service, text_findings)
    )
    merged = merge_findings(service.service_id, readings, text_findings)
    tracks = service_tracks(service.user_types)
    items = _assemble(dict(merged.criteria), merged.origin, tracks, service.user_types)
    return Rule(
        service_id=service.service_id,
        criteria=All(items),
        origin=ORIGIN,
        disagreements=merged.disagreements,
    )
