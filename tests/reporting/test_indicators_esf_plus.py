"""ESF+ 2021-2027 against a second population counted by hand, as carefully as
2014-2020: the non-binary column, ISCED 0-2, the age bands (under 18, 18-29, 55 and
over) at their edges, third-country nationals against foreign background, the
household answers, and incomplete records. Period: the year 2023; entries on 01/06/2023
unless said, ages at entry. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime as dt

import pytest

from labs import models as labs
from reporting.indicators import compute_indicators
from tests import factories as f
from tests.reporting.test_indicators import participant

D = dt.date
START, END = D(2023, 1, 1), D(2023, 12, 31)
ENTRY = D(2023, 6, 1)


@pytest.fixture
def project(db):
    programme = f.ProgrammeFactory(
        code="fse-plus-prova",
        name="PR FSE+ prova",
        fund=labs.Programme.Fund.ESF_PLUS,
        indicator_set=labs.Programme.IndicatorSet.ESF_PLUS_2021,
    )
    p = f.ProjectFactory(programme=programme)
    P = lambda *a, **k: participant(p, *a, entry=k.pop("entry", ENTRY), **k)  # noqa: E731
    # fmt: off
    # -- complete, entered in 2023: 12 (4 women, 4 men, 4 non-binary) -----------------------
    P("X", D(2005, 6, 2), "IS", isced=0)                       # r01: 17 (18 tomorrow)
    P("X", D(2005, 6, 1), "U", 7, isced=1,                     # r02: 18 today; LTU (<25, >6)
      third_country_national="yes", foreign_background="yes")  #      both: EECO13 and EECO14
    P("X", D(1993, 6, 1), "IO", isced=2,                       # r03: 30 today: not 18-29
      foreign_background="yes", third_country_national="no")   #      foreign background only
    P("X", D(1968, 6, 1), "E", isced=5, disability="yes")      # r04: 55 today
    P("F", D(1993, 6, 2), "U", 6, isced=0,                     # r05: 29; 6 months: not LTU
      third_country_national="yes", foreign_background="no")   #      TCN only
    P("F", D(1968, 6, 2), "E", isced=3, minority="yes")        # r06: 54: not 55+
    P("F", D(2010, 1, 1), "IS", isced=1,                       # r07: 13
      homeless_or_housing_exclusion=True)
    P("F", D(1950, 1, 1), "IO", isced=8, rural_area=True,      # r08: 73
      foreign_background="declined")                           #      not answered
    P("M", D(1999, 1, 1), "U", 13, isced=2, minority="yes")    # r09: 24; LTU
    P("M", D(1980, 1, 1), "U", 12, isced=4,                    # r10: 43; 12 months: not LTU
      third_country_national="")                               #      blank: not answered
    P("M", D(1960, 1, 1), "E", isced=7)                        # r11: 63
    P("M", D(2006, 1, 1), "IS", isced=0,                       # r12: 17 (18 the next day)
      entry=D(2023, 12, 31))                                   #      last day of the period
    # -- incomplete, entered in 2023: 5, in the totals only --------------------------------
    P("X", D(1990, 1, 1), "U", 13, isced=None)                 # r13: no ISCED
    P("F", D(1990, 1, 1), "", third_country_national="yes")    # r14: no labour status
    P("M", D(1990, 1, 1), "E", dependent_children=None)        # r15: "figli a carico" blank
    P("F", D(1990, 1, 1), "E", single_adult_household=None,    # r16: "unico adulto" blank
      disability="yes")
    P("", D(1990, 1, 1), "U", 13, isced=0)                     # r17: sex not recorded
    # -- outside the period ----------------------------------------------------------------
    P("X", D(2000, 1, 1), "U", 13, isced=0, entry=D(2022, 12, 31))  # r18: the day before
    P("F", D(2000, 1, 1), "U", 13, isced=0, entry=D(2024, 1, 1))    # r19: the day after
    # fmt: on
    return p


# code: (men, women, non-binary, total)
EXPECTED = {
    "EECO01": (4, 4, 4, 12),
    "EECO02": (2, 1, 1, 4),  # M r09 r10; F r05; X r02
    "EECO03": (1, 0, 1, 2),  # M r09; X r02
    "EECO04": (1, 2, 2, 5),  # M r12; F r07 r08; X r01 r03
    "EECO05": (1, 1, 1, 3),  # M r11; F r06; X r04
    "EECO06": (1, 1, 1, 3),  # M r12; F r07; X r01
    "EECO07": (1, 1, 1, 3),  # M r09; F r05; X r02
    "EECO08": (1, 1, 1, 3),  # M r11; F r08; X r04
    "EECO09": (2, 2, 3, 7),  # M r09 r12; F r05 r07; X r01 r02 r03 (ISCED 0 included)
    "EECO10": (1, 1, 0, 2),  # M r10; F r06
    "EECO11": (1, 1, 1, 3),  # M r11; F r08; X r04
    "EECO12": (0, 0, 1, 1),  # X r04
    "EECO13": (0, 1, 1, 2),  # F r05; X r02
    "EECO14": (0, 0, 2, 2),  # X r02 r03
    "EECO15": (1, 1, 0, 2),  # M r09; F r06
    "EECO16": (0, 1, 0, 1),  # F r07
    "EECO17": (0, 1, 0, 1),  # F r08
    "EECR01": (0, 0, 0, 0),
    "EECR02": (0, 0, 0, 0),
    "EECR03": (0, 0, 0, 0),
    "EECR04": (0, 0, 0, 0),
    "EECR05": (0, 0, 0, 0),
    "EECR06": (0, 0, 0, 0),
}


def test_esf_plus_outputs_match_the_hand_count(project):
    result = compute_indicators(project=project, start=START, end=END)

    assert result["sexes"] == ["men", "women", "non_binary"]
    got = {
        code: (row["men"], row["women"], row["non_binary"], row["total"])
        for code, row in result["indicators"].items()
    }
    assert got == EXPECTED


def test_esf_plus_totals_incomplete_records_and_non_answers(project):
    result = compute_indicators(project=project, start=START, end=END)

    assert result["participants_total"] == 17  # r01-r17
    assert result["participants_complete"] == 12
    assert result["participants_incomplete"] == 5  # r13-r17
    assert result["sensitive_not_answered"] == 2  # r08 declined, r10 blank


def test_esf_plus_columns_add_up(project):
    """Every complete record has one sex column, one labour status and one ISCED band."""
    rows = compute_indicators(project=project, start=START, end=END)["indicators"]
    for code, row in rows.items():
        assert row["men"] + row["women"] + row["non_binary"] == row["total"], code
    labour = sum(rows[c]["total"] for c in ("EECO02", "EECO04", "EECO05"))
    education = sum(rows[c]["total"] for c in ("EECO09", "EECO10", "EECO11"))
    assert labour == education == rows["EECO01"]["total"] == 12
