"""신청기한 read as a person reads it.

The table holds real 신청기한 values from the 1,097-service gov24 sample, each with the day it was
last edited (수정일시) and what a careful reader takes it to mean. Then edge cases (year wrap,
missing year, impossible dates, garbage) and a pass over every sample value and every 온통청년
policy checking what must always hold.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alrim.catalog.periods import parse_application_period, youth_application_period
from alrim.domain.period import ApplicationPeriod, Confidence, PeriodKind

DATA_DIR = Path(__file__).resolve().parents[3] / "data"

ALWAYS = PeriodKind.ALWAYS
PERIOD = PeriodKind.PERIOD
RECURRING = PeriodKind.RECURRING
BUDGET = PeriodKind.UNTIL_BUDGET
VARIES = PeriodKind.VARIES
CLOSED = PeriodKind.CLOSED
UNKNOWN = PeriodKind.UNKNOWN

D = date.fromisoformat
ALL_MONTHS = tuple(range(1, 13))


def ymd(stamp: str) -> date:
    return date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))


# (text, 수정일시 day, kind, start, end, months) — months only checked for `recurring`.
REAL: list[tuple[str, str, PeriodKind, str | None, str | None, tuple[int, ...]]] = [
    # --- 상시 and kin ------------------------------------------------------------------------
    ("상시신청", "20260129", ALWAYS, None, None, ()),
    ("연중", "20260424", ALWAYS, None, None, ()),
    ("수시접수", "20260507", ALWAYS, None, None, ()),
    ("연중 수시", "20251127", ALWAYS, None, None, ()),
    ("상시(출생 등록  시)", "20260429", ALWAYS, None, None, ()),
    ("상시신청(휴관일 및 영업외시간 제외)", "20260429", ALWAYS, None, None, ()),
    (
        "상시신청 가능(단, 매월1일~15일 신청시, 당월 말일 지급 예정 / 매월16일~말일 신청 시, "
        "익월 말일 지급 예정)",
        "20260420",
        ALWAYS,
        None,
        None,
        (),
    ),
    ("월~금 09:00~18:00(공휴일 제외)", "20260205", ALWAYS, None, None, ()),
    (
        "연월세 지원: 상시/전세지원:도청홈페이지 공고 접수기간 참고/주거임차비: 상시",
        "20260430",
        ALWAYS,
        None,
        None,
        (),
    ),
    (
        "［전입세대］ 전입일로부터 1년 이내 신청 ［다자녀가정］신청기한에 제한 없음",
        "20260424",
        ALWAYS,
        None,
        None,
        (),
    ),
    (
        "전입 및 연령 도래 등 사유가 발생한 달부터 그 다음 달까지, 이후 수시",
        "20260506",
        ALWAYS,
        None,
        None,
        (),
    ),
    # nothing to apply for: the service is given without an application, all year
    ("별도의 신청절차가 없음", "20260511", ALWAYS, None, None, ()),
    ("신청불필요", "20260511", ALWAYS, None, None, ()),
    ("신청 불필요", "20260508", ALWAYS, None, None, ()),
    ("개인 신청절차 없음", "20260506", ALWAYS, None, None, ()),
    ("개인 신청 불필요", "20260608", ALWAYS, None, None, ()),
    ("별도의 신청절차 없음", "20260429", ALWAYS, None, None, ()),
    ("별도의 신청절차가 없음(사업예산 범위 내 서비스 지원)", "20260429", ALWAYS, None, None, ()),
    ("없음", "20260428", ALWAYS, None, None, ()),
    # a deadline counted from the applicant's own event: open all year
    ("출생일로부터 90일 이내", "20260618", ALWAYS, None, None, ()),
    ("출생일로 부터 1년 이내 신청", "20260424", ALWAYS, None, None, ()),
    ("신생아 출산일부터 1년 이내", "20260428", ALWAYS, None, None, ()),
    ("전입신고한 날부터 3개월 이내", "20260508", ALWAYS, None, None, ()),
    ("사고발생 후 3년 이내 신청 가능", "20260428", ALWAYS, None, None, ()),
    ("사고발생일로부터 1년 내 치료건 3년간 청구 가능", "20260209", ALWAYS, None, None, ()),
    ("수수료를 납부한 날로부터 3년이내 제출", "20260213", ALWAYS, None, None, ()),
    ("입학일 이후 6개월 이내", "20260427", ALWAYS, None, None, ()),
    ("시술 종료 후 3개월 이내", "20260513", ALWAYS, None, None, ()),
    ("출산예정일 40일 전부터 출산 후 60일까지", "20260630", ALWAYS, None, None, ()),
    ("출산(예정)일 전 40일 또는 후 7일 이내 신청 가능", "20251128", ALWAYS, None, None, ()),
    ("입영(소집)통지서 수령 후 입영(소집) 전 신청", "20260428", ALWAYS, None, None, ()),
    ("가정위탁 결정 된 이후 신청", "20260508", ALWAYS, None, None, ()),
    ("전국체육대회 참가 시", "20260508", ALWAYS, None, None, ()),
    ("2년 이상 거주 후 퇴소시", "20260508", ALWAYS, None, None, ()),
    ("적성검사(갱신) 기간 내 ", "20260422", ALWAYS, None, None, ()),
    ("해당 실업인정일", "20260507", ALWAYS, None, None, ()),
    ("(상시신청)사고발생일로부터 3년이내", "20260430", ALWAYS, None, None, ()),
    ("가축방역사업 시행 일로부터 지정일까지", "20260511", ALWAYS, None, None, ()),
    ("임신확인서 상 임신확인일 기준으로 만 19세까지 신청 가능", "20251128", ALWAYS, None, None, ()),
    (
        "아동의 출생일 이후 12개월이 되는 달부터 (태어난 달의 15일 이전 신청) ",
        "20260428",
        ALWAYS,
        None,
        None,
        (),
    ),
    (
        "사망일(실종의 경우 실종선고일)이 속한 달의 말일부터 1년 이내",
        "20260430",
        ALWAYS,
        None,
        None,
        (),
    ),
    (
        "임신·유산(사산)·출산 사실이 확인이 된 날 ~ 분만예정일·출산(유·사산)일로부터 2년까지  "
        "※ 신청 당시 분만예정일이 지난 경우 ‘임신’으로 신청 불가하며, ‘출산 등’으로 확인받아 "
        "신청하여야 함",
        "20260511",
        ALWAYS,
        None,
        None,
        (),
    ),
    # --- written dates --------------------------------------------------------------------------
    ("2026.05.04~2026.05.20", "20260507", PERIOD, "2026-05-04", "2026-05-20", ()),
    ("2025.12.17~2026.01.09", "20260506", PERIOD, "2025-12-17", "2026-01-09", ()),
    ("2023.07.11~2023.08.25", "20251224", PERIOD, "2023-07-11", "2023-08-25", ()),
    ("2025.03.10~2025.03.31", "20260511", PERIOD, "2025-03-10", "2025-03-31", ()),
    ("2025.08.06~2025.09.05", "20260423", PERIOD, "2025-08-06", "2025-09-05", ()),
    ("2026.01.01~2026.12.31", "20260527", PERIOD, "2026-01-01", "2026-12-31", ()),
    ("2025.03.17~2026.12.31", "20260130", PERIOD, "2025-03-17", "2026-12-31", ()),
    ("2026.01.01~2026.12.16", "20260423", PERIOD, "2026-01-01", "2026-12-16", ()),
    ("2026.2.9 ~ 2026.3.2", "20260429", PERIOD, "2026-02-09", "2026-03-02", ()),
    ("2026.03.03~2026.10.30", "20260625", PERIOD, "2026-03-03", "2026-10-30", ()),
    ("2026.03.03~2026.03.27", "20260504", PERIOD, "2026-03-03", "2026-03-27", ()),
    ("2025.5.20. ~ 2025.5.27.", "20260511", PERIOD, "2025-05-20", "2025-05-27", ()),
    ("2025.1.31.~2025.11.28.", "20260511", PERIOD, "2025-01-31", "2025-11-28", ()),
    ("2026. 5. 1. ~ 2026. 11. 30.", "20260504", PERIOD, "2026-05-01", "2026-11-30", ()),
    ("2026.02.02~2026.11.30", "20260422", PERIOD, "2026-02-02", "2026-11-30", ()),
    ("2025.03.05~2025.03.12", "20260507", PERIOD, "2025-03-05", "2025-03-12", ()),
    ("2026.01.15~2026.12.04", "20260506", PERIOD, "2026-01-15", "2026-12-04", ()),
    ("2025. 6. 30. ~ 2025. 7. 25.", "20260507", PERIOD, "2025-06-30", "2025-07-25", ()),
    ("2025.03.03~2025.03.07", "20260511", PERIOD, "2025-03-03", "2025-03-07", ()),
    ("2026.02.26~2026.03.05", "20260512", PERIOD, "2026-02-26", "2026-03-05", ()),
    ("2025-01-13~2025.01.31.", "20260506", PERIOD, "2025-01-13", "2025-01-31", ()),
    ("2023-01-16~2023-02-10", "20260511", PERIOD, "2023-01-16", "2023-02-10", ()),
    ("2022-11-15~2022-12-15", "20260511", PERIOD, "2022-11-15", "2022-12-15", ()),
    ("2024.01.05~2024.01.12", "20260121", PERIOD, "2024-01-05", "2024-01-12", ()),
    ("2026.03.18~2026.06.30", "20260422", PERIOD, "2026-03-18", "2026-06-30", ()),
    ("2026.01.01~2036.12.31", "20260513", PERIOD, "2026-01-01", "2036-12-31", ()),
    ("2026.04.27~2026.05.29", "20260507", PERIOD, "2026-04-27", "2026-05-29", ()),
    ("2026.01.05~2026.01.26", "20260507", PERIOD, "2026-01-05", "2026-01-26", ()),
    ("2026. 1. 8. ~ 2026. 1. 18.", "20260504", PERIOD, "2026-01-08", "2026-01-18", ()),
    ("2025.8.18. ~ 2025.9.19.", "20260427", PERIOD, "2025-08-18", "2025-09-19", ()),
    ("2025.1.1. ~ 2025. 12.31.", "20260511", PERIOD, "2025-01-01", "2025-12-31", ()),
    ("2026.01.01~2026.02.28", "20260506", PERIOD, "2026-01-01", "2026-02-28", ()),
    ("2025.11.05~2025.12.11", "20260429", PERIOD, "2025-11-05", "2025-12-11", ()),
    ("2026.06.15~2026.06.30", "20260508", PERIOD, "2026-06-15", "2026-06-30", ()),
    ("2025.6.9(월) ~ 2025.12.31(수)", "20260507", PERIOD, "2025-06-09", "2025-12-31", ()),
    ("2025.11.24~2025.11.28", "20260424", PERIOD, "2025-11-24", "2025-11-28", ()),
    ("2026.03.11~2026.03.31", "20260510", PERIOD, "2026-03-11", "2026-03-31", ()),
    ("2023.03.22~2023.03.31", "20260421", PERIOD, "2023-03-22", "2023-03-31", ()),
    ("2024.02.05~2024.02.15", "20260507", PERIOD, "2024-02-05", "2024-02-15", ()),
    ("2026.06.11~2026.06.19", "20260619", PERIOD, "2026-06-11", "2026-06-19", ()),
    ("2026.3.1. ~ 12.6 (예산소진시 사업종료)", "20260708", BUDGET, "2026-03-01", "2026-12-06", ()),
    # the end's year is the start's
    ("2025.1.21. ~ 12.20.", "20251127", PERIOD, "2025-01-21", "2025-12-20", ()),
    ("2026. 5. 11.(월) ~ 12. 4.(금)", "20260506", PERIOD, "2026-05-11", "2026-12-04", ()),
    ("2026. 6. 29.(월) ~ 7. 6.(월)", "20260707", PERIOD, "2026-06-29", "2026-07-06", ()),
    ("2026.2.23.(월)~3.6.(금) ", "20260619", PERIOD, "2026-02-23", "2026-03-06", ()),
    ("2026. 1. 21. ~ 2. 13.", "20260506", PERIOD, "2026-01-21", "2026-02-13", ()),
    ("2026. 3. 3. ~ 12. 11.", "20260507", PERIOD, "2026-03-03", "2026-12-11", ()),
    ("2026.1.6.~3.5.", "20260422", PERIOD, "2026-01-06", "2026-03-05", ()),
    ("2026. 3. 3. ~ 3. 16.", "20260428", PERIOD, "2026-03-03", "2026-03-16", ()),
    ("2026. 1. 22. ~ 2. 5.", "20260508", PERIOD, "2026-01-22", "2026-02-05", ()),
    (
        "2026-1학기: '26. 2. 25.(수) ~ 3. 12.(목)",
        "20260611",
        PERIOD,
        "2026-02-25",
        "2026-03-12",
        (),
    ),
    (
        "2026-1학기 신청기간 : 2026.1.5.~2026.5.20.",
        "20260511",
        PERIOD,
        "2026-01-05",
        "2026-05-20",
        (),
    ),
    # months with a year: first day of the first month to last day of the last
    ("2025-3.~2025.11.", "20260204", PERIOD, "2025-03-01", "2025-11-30", ()),
    ("2025. 7.", "20260424", PERIOD, "2025-07-01", "2025-07-31", ()),
    ("2026. 4.  ~ 2026.  11.", "20260507", PERIOD, "2026-04-01", "2026-11-30", ()),
    ("2026년 3월 ~ 12월 (예정)", "20260429", PERIOD, "2026-03-01", "2026-12-31", ()),
    ("2026. 1~2월 중 공고예정", "20260428", PERIOD, "2026-01-01", "2026-02-28", ()),
    ("2025-12~2026-12", "20260429", PERIOD, "2025-12-01", "2026-12-31", ()),
    ("2026. 1. ~ 12.", "20260511", PERIOD, "2026-01-01", "2026-12-31", ()),
    ("2026.1.~2026.2.", "20260428", PERIOD, "2026-01-01", "2026-02-28", ()),
    ("2026. 6.~ 12. 예정", "20260203", PERIOD, "2026-06-01", "2026-12-31", ()),
    ("2025. 10. ~ 11.", "20260430", PERIOD, "2025-10-01", "2025-11-30", ()),
    ("2025.01. ~ 2025.12.", "20260512", PERIOD, "2025-01-01", "2025-12-31", ()),
    ("2025. 4. ~ 6.", "20251127", PERIOD, "2025-04-01", "2025-06-30", ()),
    ("2025. 3. ~ 2025. 12. ", "20260506", PERIOD, "2025-03-01", "2025-12-31", ()),
    ("2026. 3월 ~ 2026. 5월", "20260429", PERIOD, "2026-03-01", "2026-05-31", ()),
    (" 2026.7~8월 진행", "20260429", PERIOD, "2026-07-01", "2026-08-31", ()),
    (
        "2026. 2월 ~ 3월 (지원 유형별 상이, 공고문 참고 필요)",
        "20260210",
        PERIOD,
        "2026-02-01",
        "2026-03-31",
        (),
    ),
    (
        "2026년 1월 중(※ 취약계층: 상시 신청 가능)",
        "20260424",
        PERIOD,
        "2026-01-01",
        "2026-01-31",
        (),
    ),
    # 초 = 1st-10th, 중순 = 11th-20th, 말 = 21st-end
    ("2025년 5월 초 ~ 6월 중순 공고 및 접수", "20260504", PERIOD, "2025-05-01", "2025-06-20", ()),
    # several windows: from the first start to the last end
    (
        "1차 : '26. 3. 18. ~ 4. 6. / 2차: '26. 4. 30. ~ 5. 29. / 3차: '26. 9. 1. ~ 9. 22. / "
        "4차: '26. 10. 29. ~ 11. 27. ",
        "20260430",
        PERIOD,
        "2026-03-18",
        "2026-11-27",
        (),
    ),
    ("2026년 1월(상반기), 7월(하반기)", "20260508", PERIOD, "2026-01-01", "2026-07-31", ()),
    # --- the same months every year ---------------------------------------------------------
    ("매년 3월 경", "20260511", RECURRING, None, None, (3,)),
    ("매년 3월", "20260604", RECURRING, None, None, (3,)),
    ("매년 6월", "20260511", RECURRING, None, None, (6,)),
    ("매년 2월", "20260429", RECURRING, None, None, (2,)),
    ("매년 2월경", "20260626", RECURRING, None, None, (2,)),
    ("매년 1월중", "20260506", RECURRING, None, None, (1,)),
    ("매년 1월경", "20260508", RECURRING, None, None, (1,)),
    ("매년1월신청", "20260508", RECURRING, None, None, (1,)),
    ("매년 1월(예정)", "20260513", RECURRING, None, None, (1,)),
    ("매년 1월 공모신청", "20260504", RECURRING, None, None, (1,)),
    ("매년 5월 경", "20260423", RECURRING, None, None, (5,)),
    ("매년 12월 신청시기 알림", "20260126", RECURRING, None, None, (12,)),
    ("매년 8월 차년도 사업 접수", "20260511", RECURRING, None, None, (8,)),
    ("사업시행시기:매년 1월", "20260427", RECURRING, None, None, (1,)),
    ("사업당해연도 1월", "20260518", RECURRING, None, None, (1,)),
    ("매년 1~2월", "20260422", RECURRING, None, None, (1, 2)),
    ("매년 1~2월 중", "20260507", RECURRING, None, None, (1, 2)),
    ("매년 1~3월 중", "20260423", RECURRING, None, None, (1, 2, 3)),
    ("매년 2~3월", "20260115", RECURRING, None, None, (2, 3)),
    ("매년 2~4월", "20260503", RECURRING, None, None, (2, 3, 4)),
    ("매년 5~6월", "20260506", RECURRING, None, None, (5, 6)),
    ("매년 10~11월 중", "20260506", RECURRING, None, None, (10, 11)),
    ("매년 11월~12월", "20251127", RECURRING, None, None, (11, 12)),
    ("매년 11~12월경", "20260427", RECURRING, None, None, (11, 12)),
    ("매년 9월~10월", "20260427", RECURRING, None, None, (9, 10)),
    ("매년 3월~4월경", "20260508", RECURRING, None, None, (3, 4)),
    ("매 학년도 3월~4월", "20260609", RECURRING, None, None, (3, 4)),
    ("매년 3월, 6월, 9월, 12월", "20260507", RECURRING, None, None, (3, 6, 9, 12)),
    ("매년 6월, 12월", "20260504", RECURRING, None, None, (6, 12)),
    ("2, 5, 8, 11월(연 4회)", "20260225", RECURRING, None, None, (2, 5, 8, 11)),
    ("연간 4월, 9월중", "20260511", RECURRING, None, None, (4, 9)),
    ("매년 12월 접수(연중 대기자 상시신청)", "20260508", RECURRING, None, None, (12,)),
    ("매년 6월 8일 갱신(보험기간 1년)", "20260608", RECURRING, None, None, (6,)),
    ("신청년도 7.1.~ 신청년도 7.31.", "20260609", RECURRING, None, None, (7,)),
    ("연도별 1월 중(1. 1. ~ 1. 31.)", "20260507", RECURRING, None, None, (1,)),
    ("해당연도 1~2월(모집기간 별도)", "20260511", RECURRING, None, None, (1, 2)),
    ("당년 1월~2월초 예정", "20260507", RECURRING, None, None, (1, 2)),
    ("전년도 7~8월", "20251127", RECURRING, None, None, (7, 8)),
    ("공급 전년도 6월~7월", "20260507", RECURRING, None, None, (6, 7)),
    (
        "소액사업:전년도 6~7월중에 해당 시군구에 신청공모사업:전년도4~6월경 해당 시군구에 신청",
        "20260212",
        RECURRING,
        None,
        None,
        (4, 5, 6, 7),
    ),
    (
        "매년 3~4월(※ 자세한 사항은 옥천군 홈페이지 공고문 참고)",
        "20260506",
        RECURRING,
        None,
        None,
        (3, 4),
    ),
    ("매년 1월(사업계획에 따라 신청기간은 상이함)", "20260504", RECURRING, None, None, (1,)),
    (
        "매년 1월 중 K-Startup 홈페이지를 통해 모집공고 게시",
        "20260622",
        RECURRING,
        None,
        None,
        (1,),
    ),
    (
        "매년 수혜자 선정을 위해 5월초~6월중 약 1.5개월간 지정된 접수처에서 신청접수 실시"
        "(※ 자세한 내용은 홈페이지(www.at4u.or.kr) 참조)",
        "20251127",
        RECURRING,
        None,
        None,
        (5, 6),
    ),
    # months written without a year or 매년: a standing description, so every year
    ("4월~11월", "20260427", RECURRING, None, None, (4, 5, 6, 7, 8, 9, 10, 11)),
    ("3월~11월", "20260622", RECURRING, None, None, (3, 4, 5, 6, 7, 8, 9, 10, 11)),
    ("1월~6월", "20260506", RECURRING, None, None, (1, 2, 3, 4, 5, 6)),
    ("2월~4월", "20260428", RECURRING, None, None, (2, 3, 4)),
    ("4월 중", "20260507", RECURRING, None, None, (4,)),
    ("5월 중", "20251127", RECURRING, None, None, (5,)),
    ("9월중", "20260429", RECURRING, None, None, (9,)),
    ("5월 중순", "20260510", RECURRING, None, None, (5,)),
    ("1~2월중", "20260504", RECURRING, None, None, (1, 2)),
    ("1~2월 중 신청 접수", "20260701", RECURRING, None, None, (1, 2)),
    ("1~3월중 예정", "20260508", RECURRING, None, None, (1, 2, 3)),
    ("3 ~ 4월 접수 예정", "20260511", RECURRING, None, None, (3, 4)),
    ("2월중 신청 접수 예정", "20260119", RECURRING, None, None, (2,)),
    ("12월 공고(예정)", "20260415", RECURRING, None, None, (12,)),
    ("12월말 ~ 1월초", "20260507", RECURRING, None, None, (1, 12)),
    ("3월 말 ~ 4월 초", "20251209", RECURRING, None, None, (3, 4)),
    ("하반기 9월", "20260507", RECURRING, None, None, (9,)),
    ("상/하반기 4/10월경", "20260511", RECURRING, None, None, (4, 10)),
    ("상반기 : 1월, 하반기 : 5월", "20260429", RECURRING, None, None, (1, 5)),
    ("연초 2월경 신청", "20260513", RECURRING, None, None, (2,)),
    ("9월 이후 신청 및 지급", "20260611", RECURRING, None, None, (9, 10, 11, 12)),
    ("해당연도 사업은 전년도 3월까지 신청", "20260508", RECURRING, None, None, (3,)),
    ("매년 월~10월", "20260204", RECURRING, None, None, (10,)),
    # months from the bracketed note when the main line only gives a season
    ("상반기(4~5월 중), 하반기(10~11월 중)", "20260428", RECURRING, None, None, (4, 5, 10, 11)),
    ("상·하반기 (2월, 7월)", "20260506", RECURRING, None, None, (2, 7)),
    ("매년 초(1~2월 경)", "20260424", RECURRING, None, None, (1, 2)),
    ("매년 연초(1~2월)", "20260511", RECURRING, None, None, (1, 2)),
    ("연초(1월경)", "20260512", RECURRING, None, None, (1,)),
    ("익년도 사업대상자 모집 : 전년도 하반기(9~10월)", "20260427", RECURRING, None, None, (9, 10)),
    (
        "청년취업지원희망프로젝트 사업참여신청접수 - 분기별(1, 4, 7, 10월) 11~20일",
        "20260508",
        RECURRING,
        None,
        None,
        (1, 4, 7, 10),
    ),
    ("공고문에 접수시기 안내(매년 1월~2월)", "20260422", RECURRING, None, None, (1, 2)),
    ("공고기간(1~2월)", "20260511", RECURRING, None, None, (1, 2)),
    ("당해연도 모집공고 참조(5월 예상)", "20260511", RECURRING, None, None, (5,)),
    ("사업신청 기간( 2월 ~3월)", "20260428", RECURRING, None, None, (2, 3)),
    ("하계(5월말) 동계(11월말)", "20260428", RECURRING, None, None, (5, 11)),
    # seasons and cycles
    ("매월", "20260428", RECURRING, None, None, ALL_MONTHS),
    ("매월 12일까지 신청", "20260511", RECURRING, None, None, ALL_MONTHS),
    ("매월 20일까지(예산소진시 조기 마감)     ", "20260207", RECURRING, None, None, ALL_MONTHS),
    ("전월 25일 경(매월 변동됨)", "20260423", RECURRING, None, None, ALL_MONTHS),
    ("연초", "20260202", RECURRING, None, None, (1, 2)),
    ("매년초", "20260507", RECURRING, None, None, (1, 2)),
    ("매년 초", "20260428", RECURRING, None, None, (1, 2)),
    ("매년 초 지자체별 모집공고", "20260424", RECURRING, None, None, (1, 2)),
    ("연초(변동가능)", "20260427", RECURRING, None, None, (1, 2)),
    ("매년 연말~연초", "20260504", RECURRING, None, None, (1, 2, 12)),
    ("설, 추석", "20260424", RECURRING, None, None, (1, 2, 9, 10)),
    ("설,추석 명절기간", "20260504", RECURRING, None, None, (1, 2, 9, 10)),
    ("설·추석 당월 10일까지 신청", "20260511", RECURRING, None, None, (1, 2, 9, 10)),
    ("명절기간 ", "20260429", RECURRING, None, None, (1, 2, 9, 10)),
    ("상반기", "20260507", RECURRING, None, None, ()),
    ("상반기, 하반기", "20260429", RECURRING, None, None, ()),
    ("상,하반기 각 1회", "20251127", RECURRING, None, None, ()),
    ("반기별 신청(연2회)", "20260427", RECURRING, None, None, ()),
    ("매년 하반기", "20260427", RECURRING, None, None, ()),
    ("매년 상반기 내 공고 및 접수 예정", "20260423", RECURRING, None, None, ()),
    ("분기별", "20260504", RECURRING, None, None, ()),
    ("분기", "20260428", RECURRING, None, None, ()),
    ("매년신청", "20260429", RECURRING, None, None, ()),
    ("매년 신청기간 내", "20260511", RECURRING, None, None, ()),
    # --- budget ---------------------------------------------------------------------------------
    ("예산소진시까지", "20260205", BUDGET, None, None, ()),
    ("예산 소진시까지", "20260709", BUDGET, None, None, ()),
    ("할인예산 소진시까지", "20260401", BUDGET, None, None, ()),
    ("공고일 ~ 예산 소진 시까지", "20260511", BUDGET, None, None, ()),
    ("사업공고일  ~  예산 소진시", "20260623", BUDGET, None, None, ()),
    ("연초~ 예산 소진시", "20260604", BUDGET, None, None, ()),
    ("상시신청(예산 소진시 당해 사업종료)", "20260504", BUDGET, None, None, ()),
    ("상시신청(예산소진시 지원 마감)", "20260504", BUDGET, None, None, ()),
    ("예산 내 상시", "20260507", BUDGET, None, None, ()),
    (
        "예산 소진 전 까지 신청가능(예산범위 내), 수술 전 신청(수술 후 신청 불가)",
        "20260504",
        BUDGET,
        None,
        None,
        (),
    ),
    ("신청대상 소진시까지", "20260428", BUDGET, None, None, ()),
    ("공고일로부터 빈점포 충원시까지 신청", "20260508", BUDGET, None, None, ()),
    ("발행일부터 선착순 구매", "20260428", BUDGET, None, None, ()),
    # --- varies: differs by office/programme, or see the notice ---------------------------------
    ("접수기관 별 상이", "20260511", VARIES, None, None, ()),
    ("자세한 날짜는 시군구청에 따라 다를 수 있음", "20260424", VARIES, None, None, ()),
    (
        "자세한 날짜는 지방보훈청 및 보훈지청에 따라 다를 수 있음",
        "20260424",
        VARIES,
        None,
        None,
        (),
    ),
    ("사업별 상이(수출바우처 홈페이지 내 사업별 공고문 참고)", "20251224", VARIES, None, None, ()),
    ("사업별로 상이함", "20260511", VARIES, None, None, ()),
    ("지원 사업별 상이", "20260428", VARIES, None, None, ()),
    ("프로그램별 상이", "20260428", VARIES, None, None, ()),
    ("상품 종류별 상이", "20260428", VARIES, None, None, ()),
    ("동작사랑상품권 발행시기에 따라 상이", "20260424", VARIES, None, None, ()),
    ("학교별 건강검진 등 시기에 따라 상이", "20260427", VARIES, None, None, ()),
    ("접수강좌별 상이(홈페이지 확인 필수)", "20260508", VARIES, None, None, ()),
    (
        "장학금별 접수시기 상이(홈페이지 공지사항 내 공고문 수시 참고)",
        "20260508",
        VARIES,
        None,
        None,
        (),
    ),
    ("매년 접수 기간 상이", "20260423", VARIES, None, None, ()),
    ("정확한 날짜는 개인별 수급기간 등에 따라 달라짐", "20260507", VARIES, None, None, ()),
    ("시도별 신청기한은 변동될 수 있으므로 공고 참고", "20260424", VARIES, None, None, ()),
    ("추후 공지", "20260504", VARIES, None, None, ()),
    ("각 사업별 신청기한 별도 공지", "20260423", VARIES, None, None, ()),
    ("신청기한 별도 공지(매년 6월 이후)", "20260511", VARIES, None, None, ()),
    ("학기별 신청시기는 군청 홈페이지 등 공지 예정", "20260710", VARIES, None, None, ()),
    ("공고일로부터 2주", "20260423", VARIES, None, None, ()),
    ("사업자 모집 공고 참고", "20260421", VARIES, None, None, ()),
    ("별도 공고기한내", "20260421", VARIES, None, None, ()),
    ("모집공고 시 제공", "20260508", VARIES, None, None, ()),
    ("당해연도 공고문 참조", "20260506", VARIES, None, None, ()),
    ("지자체(시, 군, 구) 공고", "20260513", VARIES, None, None, ()),
    ("공고문에 따름", "20260209", VARIES, None, None, ()),
    ("상세 신청시기는 공고문을 통해 확인", "20260428", VARIES, None, None, ()),
    ("공고시 신청 ", "20260508", VARIES, None, None, ()),
    ("농업기술센터 사업공고 후 사업접수 기간안에 신청", "20260506", VARIES, None, None, ()),
    ("사업 공고 확인 후 접수 ", "20260508", VARIES, None, None, ()),
    ("공고기간", "20260512", VARIES, None, None, ()),
    ("대상자 선정 공고 접수 기간 ", "20260429", VARIES, None, None, ()),
    ("주거비지원 장학생 선발 공고 시", "20260424", VARIES, None, None, ()),
    ("(재)빛고을장학재단에서 공고후 각 추천기관에 신청 가능", "20260429", VARIES, None, None, ()),
    ("서울시체육회 공고절차에 따라 신청", "20260421", VARIES, None, None, ()),
    ("세부사항은 모집공고문 참조", "20260223", VARIES, None, None, ()),
    ("홈페이지 공고 참조", "20251127", VARIES, None, None, ()),
    ("매년 사업공고문에서 정하는 기간", "20260610", VARIES, None, None, ()),
    ("매년 공고된 접수기간 ", "20260630", VARIES, None, None, ()),
    ("국민체육진흥공단 공지사항 사업공고 내 신청시기 기재", "20260605", VARIES, None, None, ()),
    ("홈페이지 및 일간지 게시", "20260504", VARIES, None, None, ()),
    ("사업 계획에 따름", "20260429", VARIES, None, None, ()),
    ("기관별 장학생 추천", "20260421", VARIES, None, None, ()),
    ("결원 발생 시 수시 모집", "20260428", VARIES, None, None, ()),
    ("미정", "20260508", VARIES, None, None, ()),
    ("2026년 미정", "20260511", VARIES, None, None, ()),
    ("2026년 예정", "20260511", VARIES, None, None, ()),
    ("미시행(26년 하반기 시행 예정)", "20260430", VARIES, None, None, ()),
    ("문의", "20260507", VARIES, None, None, ()),
    ("읍면사무소 문의", "20260511", VARIES, None, None, ()),
    ("접수기관에 문의", "20260520", VARIES, None, None, ()),
    ("프로그램 신규 접수 시기(02-944-2903 문의)", "20260428", VARIES, None, None, ()),
    # --- closed ---------------------------------------------------------------------------------
    ("금년 접수 마감", "20260511", CLOSED, None, None, ()),
    ("신청마감", "20260513", CLOSED, None, None, ()),
    # --- nobody can tell ------------------------------------------------------------------------
    ("-", "20260207", UNKNOWN, None, None, ()),
    ("구청에서 취합함", "20260427", UNKNOWN, None, None, ()),
    ("미신청", "20260430", UNKNOWN, None, None, ()),
    (
        "○  불법사금융피해신고센터에 접수된 피해사건 중 민법 제103조 적용이 가능하다고 "
        "금융감독원에서 판단하여 이첩한 사건",
        "20260128",
        UNKNOWN,
        None,
        None,
        (),
    ),
]


@cache
def gov24_rows() -> list[dict[str, Any]]:
    with gzip.open(DATA_DIR / "gov24" / "serviceList_sample.json.gz", "rt", encoding="utf-8") as f:
        rows: list[dict[str, Any]] = json.load(f)["data"]
    return rows


@cache
def youth_items() -> list[dict[str, Any]]:
    path = DATA_DIR / "youth" / "youthcenter_sample_2026-07.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        items: list[dict[str, Any]] = json.load(f)["result"]["youthPolicyList"]
    return items


def test_the_table_has_enough_distinct_real_values() -> None:
    texts = [row[0] for row in REAL]
    assert len(set(texts)) == len(texts)
    real = {r["신청기한"] for r in gov24_rows()}
    assert set(texts) <= real
    assert len(texts) >= 120


@pytest.mark.parametrize(("text", "edited", "kind", "start", "end", "months"), REAL)
def test_real_value_is_read_as_a_person_reads_it(
    text: str,
    edited: str,
    kind: PeriodKind,
    start: str | None,
    end: str | None,
    months: tuple[int, ...],
) -> None:
    got = parse_application_period(text, reference=ymd(edited))
    assert got.kind is kind, got
    assert got.start == (D(start) if start else None), got
    assert got.end == (D(end) if end else None), got
    if kind is RECURRING:
        assert got.months == months, got
    assert got.text == text


# --- confidence ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        ("상시신청", Confidence.HIGH),
        ("접수기관 별 상이", Confidence.HIGH),
        ("2026.05.04~2026.05.20", Confidence.HIGH),
        ("2026. 5. 11.(월) ~ 12. 4.(금)", Confidence.HIGH),
        ("매년 1~2월", Confidence.HIGH),
        ("금년 접수 마감", Confidence.HIGH),
        ("예산소진시까지", Confidence.HIGH),
        ("2025. 4. ~ 6.", Confidence.MEDIUM),  # month-level
        ("매년 3월 경", Confidence.MEDIUM),  # approximate
        ("4월~11월", Confidence.MEDIUM),  # no 매년: every year is inferred
        ("별도의 신청절차가 없음", Confidence.MEDIUM),
        ("출생일로부터 90일 이내", Confidence.MEDIUM),
        ("1차 : '26. 3. 18. ~ 4. 6. / 2차: '26. 4. 30. ~ 5. 29.", Confidence.MEDIUM),
        ("미정", Confidence.MEDIUM),
        ("연초", Confidence.LOW),  # 연초 = Jan-Feb is a guess
        ("설, 추석", Confidence.LOW),  # lunar holidays move between months
        ("문의", Confidence.LOW),
        ("없음", Confidence.LOW),
        ("매년 월~10월", Confidence.LOW),  # the first month is missing
        ("-", Confidence.NONE),
    ],
)
def test_confidence_says_how_sure_the_reading_is(text: str, confidence: Confidence) -> None:
    assert parse_application_period(text, reference=D("2026-05-01")).confidence is confidence


# --- year inference -----------------------------------------------------------------------------
def test_missing_year_comes_from_the_reference_date() -> None:
    got = parse_application_period("3. 12.(목)", reference=D("2026-04-01"))
    assert got.kind is PERIOD
    assert got.end == D("2026-03-12")
    assert got.confidence is Confidence.MEDIUM
    assert got.note and "reference" in got.note


def test_korean_month_day_without_year_uses_reference() -> None:
    got = parse_application_period("3월 4일", reference=D("2026-01-10"))
    assert (got.kind, got.end) == (PERIOD, D("2026-03-04"))


def test_range_without_any_year_takes_the_reference_year() -> None:
    got = parse_application_period("3. 2.(월) ~ 3. 20.(금)", reference=D("2026-02-15"))
    assert (got.start, got.end) == (D("2026-03-02"), D("2026-03-20"))


def test_written_weekday_moves_the_inferred_year() -> None:
    # 2026-03-12 is a Thursday, 2027-03-12 a Friday: "(금)" means next year.
    got = parse_application_period("3. 12.(금)", reference=D("2026-11-25"))
    assert got.end == D("2027-03-12")


def test_apostrophe_year_with_end_in_the_same_year() -> None:
    got = parse_application_period("'26. 2. 25.(수) ~ 3. 12.(목)", reference=D("2025-12-01"))
    assert (got.start, got.end) == (D("2026-02-25"), D("2026-03-12"))
    assert got.confidence is Confidence.HIGH


def test_end_month_before_start_month_wraps_to_next_year() -> None:
    got = parse_application_period("2025.12.20 ~ 1.10", reference=D("2025-12-01"))
    assert (got.start, got.end) == (D("2025-12-20"), D("2026-01-10"))
    assert got.confidence is Confidence.HIGH


def test_wrap_also_applies_when_the_year_came_from_reference() -> None:
    got = parse_application_period("12. 20. ~ 1. 10.", reference=D("2026-11-25"))
    assert (got.start, got.end) == (D("2026-12-20"), D("2027-01-10"))


def test_month_range_with_year_wraps_too() -> None:
    got = parse_application_period("2025년 11월 ~ 2월", reference=D("2025-10-01"))
    assert (got.start, got.end) == (D("2025-11-01"), D("2026-02-28"))


def test_later_window_without_year_after_december_is_next_year() -> None:
    got = parse_application_period("2025. 11. ~ 12. / 1월 ~ 2월", reference=D("2025-10-01"))
    assert (got.start, got.end) == (D("2025-11-01"), D("2026-02-28"))


def test_without_reference_a_yearless_date_keeps_only_its_month() -> None:
    got = parse_application_period("3. 12.(목)")
    assert got.kind is RECURRING
    assert got.months == (3,)
    assert got.confidence is Confidence.LOW


def test_reference_does_not_change_a_written_year() -> None:
    a = parse_application_period("2023-01-16~2023-02-10", reference=D("2026-05-11"))
    b = parse_application_period("2023-01-16~2023-02-10")
    assert a == b
    assert a.end == D("2023-02-10")  # expired, but still the period the text names


# --- single dates and open ends -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026.3.4.까지", None, "2026-03-04"),
        ("~ 2026.3.31.", None, "2026-03-31"),
        ("2026.3.4.부터", "2026-03-04", None),
        ("2026.3.1.~", "2026-03-01", None),
        ("2026.3.4.", None, "2026-03-04"),  # 신청기한 alone names the last day
    ],
)
def test_single_dates_and_open_ends(text: str, start: str | None, end: str | None) -> None:
    got = parse_application_period(text)
    assert got.kind is PERIOD
    assert got.start == (D(start) if start else None)
    assert got.end == (D(end) if end else None)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024. 3. 28.(목) 10:00 ~ 2024. 11. 30(토) 18:00", "2024-03-28", "2024-11-30"),
        ("2026. 3. 3.(화) 09:00 ~ 3. 16.(월) 18:00", "2026-03-03", "2026-03-16"),
        ("2025/3/4~2025/4/30", "2025-03-04", "2025-04-30"),
        ("2026년 3월 4일 ~ 2026년 4월 10일", "2026-03-04", "2026-04-10"),
        ("2026．3．4．～2026．3．31．", "2026-03-04", "2026-03-31"),  # full-width
        ("‘26. 2. 25. ~ 3. 12.", "2026-02-25", "2026-03-12"),  # curly apostrophe
    ],
)
def test_other_ways_of_writing_a_range(text: str, start: str, end: str) -> None:
    got = parse_application_period(text)
    assert (got.kind, got.start, got.end) == (PERIOD, D(start), D(end))


def test_named_half_of_a_year_is_a_low_confidence_period() -> None:
    got = parse_application_period("2026년 하반기 접수 예정")
    assert (got.kind, got.start, got.end) == (PERIOD, D("2026-07-01"), D("2026-12-31"))
    assert got.confidence is Confidence.LOW


# --- impossible and garbage input ---------------------------------------------------------------
def test_a_day_that_does_not_exist_is_clamped_with_low_confidence() -> None:
    got = parse_application_period("2026.2.30~2026.3.10")
    assert (got.start, got.end) == (D("2026-02-28"), D("2026-03-10"))
    assert got.confidence is Confidence.LOW


def test_february_30_without_year_does_not_crash() -> None:
    got = parse_application_period("2월 30일", reference=D("2026-01-05"))
    assert got.end == D("2026-02-28")
    assert got.confidence is Confidence.LOW


def test_end_before_start_with_both_years_written_drops_the_end() -> None:
    got = parse_application_period("2026.5.1.~2025.4.1.")
    assert (got.start, got.end) == (D("2026-05-01"), None)
    assert got.confidence is Confidence.LOW


@pytest.mark.parametrize("text", ["2026.13.01", "13월", "0월 0일", "99.99.99", "32일"])
def test_impossible_months_are_not_dates(text: str) -> None:
    got = parse_application_period(text, reference=D("2026-01-01"))
    assert got.kind is UNKNOWN
    assert got.start is None and got.end is None


@pytest.mark.parametrize("text", [None, "", "   ", "-", "~~~~", "()", "\n\t"])
def test_empty_input_is_unknown_with_no_confidence(text: str | None) -> None:
    got = parse_application_period(text)
    assert got.kind is UNKNOWN
    assert got.confidence is Confidence.NONE
    assert got.text == text


def test_none_keeps_text_none() -> None:
    assert parse_application_period(None).text is None


@pytest.mark.parametrize(
    "text",
    [
        "x" * 100_000,
        "1, " * 5_000 + "월",
        "2026." * 5_000,
        "(" * 3_000 + ")" * 3_000,
        "상시" + "(" * 50,
        "'" * 10_000,
        "\\N" * 1000,
        "2026.1.1~" * 2_000,
    ],
)
def test_very_long_or_odd_strings_are_read_without_error(text: str) -> None:
    got = parse_application_period(text, reference=D("2026-05-01"))
    assert got.text == text
    if got.start and got.end:
        assert got.start <= got.end


def test_long_text_is_read_only_so_far_and_says_so() -> None:
    text = "상시신청 " + "가" * 5_000
    got = parse_application_period(text)
    assert got.kind is ALWAYS
    assert got.note and "first" in got.note


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("0123456789.~-/ 년월일초말중경'()상시매년예산소진공고"),
        max_size=60,
    )
)
def test_any_mix_of_date_characters_never_raises(text: str) -> None:
    got = parse_application_period(text, reference=D("2026-05-01"))
    assert isinstance(got, ApplicationPeriod)
    if got.start and got.end:
        assert got.start <= got.end
    assert all(1 <= m <= 12 for m in got.months)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.dates())
def test_any_text_and_reference_never_raises(text: str, reference: date) -> None:
    got = parse_application_period(text, reference=reference)
    if got.start and got.end:
        assert got.start <= got.end


# --- the whole sample ---------------------------------------------------------------------------
# Measured on the 1,097-row sample: 4 of the 314 distinct values (4 of 1,097 rows) are unknown —
# "-", "구청에서 취합함", "미신청" and a sentence about a 금융감독원 referral — texts that carry
# no period at all. The bounds leave room for a few such texts in a new snapshot but fail when a
# whole family of wording (the smallest, 공고 참조, has over 30 values) stops being read.
MAX_UNKNOWN_DISTINCT_SHARE = 0.03
MAX_UNKNOWN_ROW_SHARE = 0.01


def _read_all() -> list[tuple[dict[str, Any], ApplicationPeriod]]:
    return [
        (r, parse_application_period(r["신청기한"], reference=ymd(r["수정일시"])))
        for r in gov24_rows()
    ]


def test_every_sample_value_reads_without_contradiction() -> None:
    for row, got in _read_all():
        if got.start and got.end:
            assert got.start <= got.end, row["신청기한"]
        if got.kind is PERIOD:
            assert got.start or got.end, row["신청기한"]
        if got.kind in (ALWAYS, VARIES, CLOSED, UNKNOWN):
            assert got.start is None and got.end is None, row["신청기한"]
        if got.kind is UNKNOWN:
            assert got.confidence is Confidence.NONE
        else:
            assert got.confidence is not Confidence.NONE, row["신청기한"]
        assert all(1 <= m <= 12 for m in got.months)
        assert list(got.months) == sorted(set(got.months))


def test_unknown_share_over_the_sample_stays_small() -> None:
    readings = _read_all()
    distinct = {row["신청기한"]: got.kind for row, got in readings}
    unknown_distinct = sum(1 for k in distinct.values() if k is UNKNOWN)
    unknown_rows = sum(1 for _, got in readings if got.kind is UNKNOWN)
    assert len(distinct) == 314
    assert unknown_distinct / len(distinct) <= MAX_UNKNOWN_DISTINCT_SHARE
    assert unknown_rows / len(readings) <= MAX_UNKNOWN_ROW_SHARE


def test_most_of_the_sample_is_the_two_common_values() -> None:
    kinds = Counter(got.kind for _, got in _read_all())
    # 상시신청 (662 rows) and 접수기관 별 상이 (102 rows) dominate the catalog.
    assert kinds[ALWAYS] >= 662
    assert kinds[VARIES] >= 102


def test_parsing_is_deterministic() -> None:
    first = [got for _, got in _read_all()]
    again = [got for _, got in _read_all()]
    assert first == again


# --- 온통청년 -------------------------------------------------------------------------------------
def test_youth_specific_period_is_read_from_aplyymd() -> None:
    got = youth_application_period({"aplyPrdSeCd": "0057001", "aplyYmd": "20260708 ~ 20260720"})
    assert (got.kind, got.start, got.end) == (PERIOD, D("2026-07-08"), D("2026-07-20"))
    assert got.confidence is Confidence.HIGH
    assert got.text == "20260708 ~ 20260720"


def test_youth_always_and_closed_codes() -> None:
    always = youth_application_period({"aplyPrdSeCd": "0057002", "aplyYmd": ""})
    closed = youth_application_period({"aplyPrdSeCd": "0057003", "aplyYmd": ""})
    assert (always.kind, always.text) == (ALWAYS, "상시")
    assert (closed.kind, closed.text) == (CLOSED, "마감")


def test_youth_several_windows_give_the_overall_span() -> None:
    got = youth_application_period(
        {"aplyPrdSeCd": "0057001", "aplyYmd": "20260907 ~ 20260928\\N20261026 ~ 20261116"}
    )
    assert (got.start, got.end) == (D("2026-09-07"), D("2026-11-16"))
    assert got.note and "2 windows" in got.note


def test_youth_end_before_start_keeps_only_the_start() -> None:
    # a real row: "20260601 ~ 20250710"
    got = youth_application_period({"aplyPrdSeCd": "0057001", "aplyYmd": "20260601 ~ 20250710"})
    assert (got.kind, got.start, got.end) == (PERIOD, D("2026-06-01"), None)
    assert got.confidence is Confidence.LOW


def test_youth_impossible_date_and_missing_fields() -> None:
    bad = youth_application_period({"aplyPrdSeCd": "0057001", "aplyYmd": "20260230 ~ 20260310"})
    assert bad.kind is UNKNOWN
    assert bad.note and "does not exist" in bad.note
    assert youth_application_period({}).kind is UNKNOWN
    assert youth_application_period({"aplyPrdSeCd": None, "aplyYmd": None}).kind is UNKNOWN


def test_youth_unknown_code_falls_back_to_reading_the_text() -> None:
    got = youth_application_period(
        {"aplyPrdSeCd": "9999999", "aplyYmd": "상시", "lastMdfcnDt": "2026-07-10 09:00:00"}
    )
    assert got.kind is ALWAYS


def test_every_youth_policy_reads_by_its_code() -> None:
    items = youth_items()
    assert len(items) == 1324
    expected = {"0057001": PERIOD, "0057002": ALWAYS, "0057003": CLOSED}
    for item in items:
        got = youth_application_period(item)
        assert got.kind is expected[item["aplyPrdSeCd"]], item["aplyYmd"]
        if got.kind is PERIOD:
            assert got.start is not None
        if got.start and got.end:
            assert got.start <= got.end
    kinds = Counter(youth_application_period(i).kind for i in items)
    assert kinds == {PERIOD: 656, CLOSED: 442, ALWAYS: 226}
