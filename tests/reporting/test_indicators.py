"""The indicator engine against populations built by hand.

Every expected number below was worked out by hand from the rows of the population,
person by person (the comment on each row says where it counts); none is computed by the
code under test. Period of the ESF 2014-2020 population: 1 January - 30 June 2019.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from beneficiaries import models as b
from labs import models as labs
from reporting import catalogues, indicators
from reporting.indicators import compute_indicators, period_figures
from tests import factories as f

D = dt.date
START, END = D(2019, 1, 1), D(2019, 6, 30)
ENTRY = D(2019, 3, 15)  # the usual entry date of the population

LABOUR = {
    "U": b.Path.LabourStatus.UNEMPLOYED,
    "IS": b.Path.LabourStatus.INACTIVE_STUDYING,
    "IO": b.Path.LabourStatus.INACTIVE_OTHER,
    "E": b.Path.LabourStatus.EMPLOYED,
    "": "",
}
_names = itertools.count(1)


def participant(project, sex, born, labour, months=None, isced=3, entry=ENTRY, **fields):
    """A person with a path in ``project``. Unless told otherwise the profile is
    complete, the household neither jobless nor with children, and every sensitive
    question answered "no"."""
    person = fields.pop("person", None) or b.Person.objects.create(
        first_name=f"P{next(_names)}", last_name="Prova", sex=sex, birth_date=born
    )
    profile = {
        "jobless_household": False,
        "dependent_children": False,
        "single_adult_household": False,
        "homeless_or_housing_exclusion": False,
        "rural_area": False,
        "foreign_background": "no",
        "third_country_national": "no",
        "minority": "no",
        "disability": "no",
        "other_disadvantage": "no",
    } | fields
    return b.Path.objects.create(
        person=person,
        project=project,
        entry_date=entry,
        labour_status=LABOUR[labour],
        unemployment_months=months,
        education_level=isced,
        **profile,
    )


@pytest.fixture
def esf_project(db):
    return f.ProjectFactory(programme=f.ProgrammeFactory())


@pytest.fixture
def population(esf_project):
    """39 paths in the project (and one in another). Ages are at entry (15/03/2019
    unless said)."""
    p = esf_project
    P = lambda *a, **k: participant(p, *a, **k)  # noqa: E731
    rows = {}
    # The rows read as a table: keep them aligned.
    # fmt: off
    # -- Entered in the period, complete: 28 (13 women, 12 men, 3 non-binary) ---------------
    rows["p01"] = P("F", D(1994, 3, 15), "U", 7, isced=2,  # 25 today: not <25, 7 months: not LTU
                    jobless_household=True, dependent_children=True, single_adult_household=True,
                    exit_date=D(2019, 5, 31), exit_employed=True)  # CR04
    rows["p02"] = P("M", D(1994, 3, 16), "U", 7,  # 24 (birthday tomorrow): <25, LTU (>6)
                    jobless_household=True)
    rows["p03"] = P("F", D(2000, 5, 1), "U", 5, isced=2,  # 18, 5 months: not LTU
                    exit_date=D(2019, 5, 10), exit_in_education=True)  # CR02
    rows["p04"] = P("M", D(1980, 1, 10), "U", 12,  # 39, 12 months: not LTU
                    jobless_household=True, dependent_children=True)
    rows["p05"] = P("F", D(1980, 1, 10), "U", 13, foreign_background="yes",  # 39, LTU; CO15
                    # job searching but unemployed at entry: neither CR01 nor CR05
                    exit_date=D(2019, 6, 10), exit_job_searching=True)
    rows["p06"] = P("M", D(1964, 3, 15), "U", 24, isced=1,  # 55 today: >54, LTU, CO08
                    jobless_household=True)
    rows["p07"] = P("F", D(1964, 3, 16), "IO", isced=2, disability="yes",  # 54: not >54
                    exit_date=D(2019, 6, 30), exit_job_searching=True,  # CR01, CR05
                    followup_date=D(2019, 6, 30), followup_employed=True)  # same day: no CR06
    rows["p08"] = P("M", D(1965, 3, 15), "IO", homeless_or_housing_exclusion=True,  # 54 today
                    exit_date=D(2019, 4, 1), exit_in_education=True, exit_qualification=True,
                    followup_date=D(2019, 5, 15), followup_employed=False,
                    followup_improved=True)  # CR02, CR03, CR05; follow-up too early: no CR07
    rows["p09"] = P("F", D(1964, 3, 14), "IO", isced=2,  # 55: >54, CO08
                    jobless_household=True, rural_area=True)
    rows["p10"] = P("M", D(1960, 6, 1), "E",  # 58: >54 but employed, not CO08
                    exit_date=D(2019, 6, 1), exit_job_searching=True)  # employed at entry: no CR01
    rows["p11"] = P("F", D(1958, 2, 2), "IS", isced=4, other_disadvantage="yes",  # 61, not CO04
                    exit_date=D(2019, 3, 20), exit_job_searching=True,  # CR01, CR05
                    followup_date=D(2019, 7, 1), followup_employed=True)  # after the period
    rows["p12"] = P("X", D(1990, 7, 7), "U", 3, jobless_household=True,  # 28, totals only
                    exit_date=D(2019, 4, 15), exit_employed=True)  # CR04 total
    rows["p13"] = P("X", D(2001, 1, 1), "IS", minority="yes",  # 18
                    exit_date=D(2019, 6, 15), exit_qualification=True)  # CR03, CR05 totals
    rows["p14"] = P("F", D(2002, 9, 9), "IS", isced=1)  # 16
    rows["p15"] = P("M", D(1985, 4, 4), "E", isced=5, third_country_national="yes",  # 33, CO15
                    exit_date=D(2019, 5, 5), exit_employed=True)  # CR04, CR05
    rows["p16"] = P("F", D(1975, 11, 11), "E", isced=8,  # 43: single adult, not jobless
                    single_adult_household=True, dependent_children=True)
    rows["p17"] = P("M", D(1988, 8, 8), "U", 30, isced=0)  # 30, LTU, ISCED 0: not CO09
    rows["p18"] = P("F", D(1970, 12, 12), "U", 13, isced=6, disability="declined",  # 48, LTU
                    exit_date=D(2019, 7, 1), exit_employed=True)  # exit after the period
    rows["p19"] = P("M", D(1995, 10, 10), "U", 7, isced=2, entry=START)  # 23 on 1/1, LTU
    rows["p20"] = P("F", D(1990, 6, 30), "E", isced=7, foreign_background="declined",
                    entry=END)  # 29 today, enters on the last day
    rows["p21"] = P("M", D(1972, 5, 5), "IO", isced=2,  # 46
                    jobless_household=True, dependent_children=True, single_adult_household=True,
                    foreign_background="yes", minority="yes", disability="yes",
                    exit_date=D(2019, 6, 20), exit_job_searching=False, exit_in_education=False,
                    exit_qualification=False, exit_employed=False)  # no outcome
    rows["p22"] = P("F", D(1999, 12, 31), "IS", other_disadvantage="")  # 19; blank: not answered
    rows["p23"] = P("M", D(1996, 2, 2), "U", 6)  # 23, exactly 6 months: not LTU
    rows["p24"] = P("F", D(1950, 1, 1), "IO", isced=0, entry=D(2019, 1, 15),  # 69
                    jobless_household=True, homeless_or_housing_exclusion=True, rural_area=True,
                    exit_date=D(2019, 2, 28), exit_job_searching=True, exit_employed=True,
                    followup_date=D(2019, 6, 1), followup_employed=True,  # 3 months: too early
                    followup_improved=False)  # CR01, CR04, CR05; none of CR06-CR09
    rows["p25"] = P("M", D(1982, 7, 7), "E", isced=4, rural_area=True,  # 36
                    third_country_national="")  # not a sensitive question of ESF 2014-2020
    rows["p26"] = P("X", D(1960, 1, 1), "IO", isced=2,  # 59, totals only
                    jobless_household=True, other_disadvantage="yes")
    rows["p27"] = P("M", D(1990, 1, 1), "U", None, disability="declined")  # 29, months unknown
    rows["p28"] = P("F", D(1985, 5, 5), "U", 40, isced=2,  # 33, LTU
                    jobless_household=True, dependent_children=True)
    # -- Entered in the period, incomplete: 4, counted only in the totals ------------------
    rows["p29"] = P("F", D(1980, 1, 1), "", disability="declined")
    rows["p30"] = P("M", D(1980, 1, 1), "U", 13, isced=None)
    rows["p31"] = P("F", D(1980, 1, 1), "U", 13, jobless_household=None,
                    exit_date=D(2019, 5, 1), exit_employed=True)
    rows["p32"] = P("", D(1980, 1, 1), "E")  # sex not recorded
    # Household situation half answered: incomplete, so in no CO12/CO13/CO14 either.
    rows["p40"] = P("F", D(1980, 1, 1), "U", 13, jobless_household=True,
                    dependent_children=None)  # "figli a carico" blank
    rows["p41"] = P("M", D(1980, 1, 1), "U", 13, jobless_household=True,
                    dependent_children=True, single_adult_household=None)  # "unico adulto" blank
    # -- Entered outside the period -------------------------------------------------------
    rows["p33"] = P("M", D(1980, 2, 2), "U", 13, entry=D(2018, 12, 31),  # the day before
                    foreign_background="yes",
                    exit_date=D(2019, 4, 30), exit_employed=True)  # CR04, CR05
    rows["p34"] = P("F", D(1985, 1, 1), "U", 13, entry=D(2019, 7, 1))  # the day after
    rows["p35"] = P("F", D(1960, 1, 1), "IO", isced=2, entry=D(2018, 6, 1),  # 58
                    exit_date=D(2018, 12, 31),  # left before the period
                    followup_date=END, followup_employed=True,
                    followup_improved=True)  # CR06, CR07, CR08
    rows["p36"] = P("M", D(1970, 1, 1), "E", entry=D(2018, 1, 10), exit_date=D(2018, 6, 30),
                    followup_date=D(2018, 12, 31), followup_employed=True)  # before
    rows["p37"] = P("M", D(1963, 1, 1), "U", 20, entry=D(2018, 3, 1), disability="yes",  # 55
                    exit_date=D(2018, 9, 30),
                    followup_date=D(2019, 3, 31), followup_employed=True,
                    followup_improved=True)  # CR06, CR07, CR08, CR09
    rows["p38"] = P("X", D(1980, 1, 1), "E", entry=D(2018, 2, 1), exit_date=D(2018, 8, 1),
                    followup_date=D(2019, 2, 1), followup_employed=True)  # CR06 total
    rows["p39"] = P("F", D(1980, 1, 1), "E", isced=None, entry=D(2018, 2, 1),  # incomplete
                    exit_date=D(2018, 8, 1), followup_date=D(2019, 2, 1), followup_employed=True)
    # Six months after: counted only from exit + 6 months to 28 days later.
    rows["p42"] = P("F", D(1985, 1, 1), "U", 13, entry=D(2018, 3, 1), disability="yes",  # 33
                    exit_date=D(2018, 10, 15),  # due 15/04/2019, window to 13/05/2019
                    followup_date=D(2019, 5, 13),  # the last day: CR06, CR09
                    followup_self_employed=True)
    rows["p43"] = P("M", D(1985, 1, 1), "U", 13, entry=D(2018, 3, 1),
                    exit_date=D(2018, 9, 1),  # due 01/03/2019, window to 29/03/2019
                    followup_date=D(2019, 3, 30), followup_employed=True,
                    followup_improved=True)  # one day late: nothing
    rows["p44"] = P("M", D(1985, 1, 1), "U", 13, entry=D(2018, 3, 1),
                    exit_date=D(2018, 8, 31),  # due 28/02/2019 (no 31/02)
                    followup_date=D(2019, 2, 28), followup_employed=True)  # first day: CR06
    # fmt: on
    # p05 again, in another project: a new participant there, not here.
    participant(
        f.ProjectFactory(programme=p.programme),
        "F",
        None,
        "U",
        13,
        person=rows["p05"].person,
        exit_date=D(2019, 4, 1),
        exit_employed=True,
        followup_date=D(2019, 5, 1),
        followup_employed=True,
    )  # fmt: skip
    # Known to the project (registered) but on no path: not a participant.
    giulia = b.Person.objects.create(
        first_name="Giulia", last_name="Senza percorso", sex="F", birth_date=D(1980, 1, 1)
    )
    b.Registration.objects.create(project=p, person=giulia, registered_on=ENTRY)
    return rows


# code: (men, women, total). Women + men < total where non-binary people count.
EXPECTED_ESF_2014 = {
    "CO01": (7, 5, 13),  # M p02 p04 p06 p17 p19 p23 p27; F p01 p03 p05 p18 p28; X p12
    "CO02": (4, 3, 7),  # M p02 p06 p17 p19; F p05 p18 p28
    "CO03": (2, 6, 10),  # M p08 p21; F p07 p09 p11 p14 p22 p24; X p13 p26
    "CO04": (2, 3, 6),  # M p08 p21; F p07 p09 p24; X p26
    "CO05": (3, 2, 5),  # M p10 p15 p25; F p16 p20
    "CO06": (3, 3, 7),  # M p02 p19 p23; F p03 p14 p22; X p13
    "CO07": (2, 3, 6),  # M p06 p10; F p09 p11 p24; X p26
    "CO08": (1, 2, 4),  # M p06; F p09 p24; X p26
    "CO09": (3, 6, 10),  # M p06 p19 p21; F p01 p03 p07 p09 p14 p28; X p26 (ISCED 1-2 only)
    "CO09-0": (1, 1, 2),  # ISCED 0, not in CO09: M p17; F p24
    "CO10": (7, 3, 12),  # M p02 p04 p08 p10 p23 p25 p27; F p05 p11 p22; X p12 p13
    "CO11": (1, 3, 4),  # M p15; F p16 p18 p20
    "CO12": (4, 4, 10),  # M p02 p04 p06 p21; F p01 p09 p24 p28; X p12 p26
    "CO13": (2, 2, 4),  # M p04 p21; F p01 p28
    "CO14": (1, 2, 3),  # M p21; F p01 p16
    "CO15": (2, 1, 4),  # M p15 p21; F p05; X p13
    "CO16": (1, 1, 2),  # M p21; F p07
    "CO17": (0, 1, 2),  # F p11; X p26
    "CO18": (1, 1, 2),  # M p08; F p24
    "CO19": (1, 2, 3),  # M p25; F p09 p24
    "CO-NR": (1, 3, 4),  # M p27; F p18 p20 p22 (p29 declined but incomplete)
    "CR01": (0, 3, 3),  # F p07 p11 p24
    "CR02": (1, 1, 2),  # M p08; F p03
    "CR03": (1, 0, 2),  # M p08; X p13
    "CR04": (2, 2, 5),  # M p15 p33; F p01 p24; X p12
    "CR05": (3, 3, 7),  # M p08 p15 p33; F p07 p11 p24; X p13
    # Six months after, inside the window only (p07 p08 p24 p43 outside: not counted).
    "CR06": (2, 2, 5),  # M p37 p44; F p35 p42 (self-employed); X p38
    "CR07": (1, 1, 2),  # M p37; F p35
    "CR08": (1, 1, 2),  # M p37; F p35
    "CR09": (1, 1, 2),  # M p37; F p42
}


def test_every_esf_2014_indicator_matches_the_hand_count(population, esf_project):
    result = compute_indicators(project=esf_project, start=START, end=END)

    assert result["catalogue"] == "esf_2014_2020"
    assert result["sexes"] == ["men", "women"]
    assert list(result["indicators"]) == list(EXPECTED_ESF_2014)
    got = {
        code: (row["men"], row["women"], row["total"]) for code, row in result["indicators"].items()
    }
    assert got == EXPECTED_ESF_2014


def test_participant_totals_and_the_sensitive_count(population, esf_project):
    result = compute_indicators(project=esf_project, start=START, end=END)

    assert result["participants_total"] == 34  # p01-p32, p40, p41 entered in the period
    assert result["participants_complete"] == 28
    assert result["participants_incomplete"] == 6  # p29-p32, p40, p41
    assert result["sensitive_not_answered"] == 4  # p18 p20 p22 p27


def test_total_participants_is_unemployed_plus_inactive_plus_employed(population, esf_project):
    result = compute_indicators(project=esf_project, start=START, end=END)
    rows = result["indicators"]

    for column in ("men", "women", "total"):
        assert (
            rows["CO01"][column] + rows["CO03"][column] + rows["CO05"][column]
            == {"men": 12, "women": 13, "total": result["participants_complete"]}[column]
        )


def test_education_rows_add_up_to_the_complete_participants(population, esf_project):
    """CO09 (ISCED 1-2) + ISCED 0 + CO10 + CO11 = complete participants, so the Region
    can reconcile CO09 with ESF+'s EECO09 (ISCED 0-2)."""
    rows = compute_indicators(project=esf_project, start=START, end=END)["indicators"]

    assert rows["CO09"]["total"] + rows["CO09-0"]["total"] == 12
    assert sum(rows[c]["total"] for c in ("CO09", "CO09-0", "CO10", "CO11")) == 28


@pytest.mark.parametrize(
    "blank", ["jobless_household", "dependent_children", "single_adult_household"]
)
def test_any_blank_household_answer_makes_the_record_incomplete(esf_project, blank):
    answers = {
        "jobless_household": True,
        "dependent_children": True,
        "single_adult_household": True,
    }
    participant(esf_project, "F", D(1980, 1, 1), "U", 13, **(answers | {blank: None}))

    result = compute_indicators(project=esf_project, start=START, end=END)

    assert (result["participants_total"], result["participants_incomplete"]) == (1, 1)
    assert all(row["total"] == 0 for row in result["indicators"].values())


def test_non_binary_people_count_only_in_the_esf_2014_totals(esf_project):
    participant(esf_project, "X", D(1990, 1, 1), "U", 13)

    rows = compute_indicators(project=esf_project, start=START, end=END)["indicators"]

    assert rows["CO01"] == {"men": 0, "women": 0, "total": 1}
    assert rows["CO02"] == {"men": 0, "women": 0, "total": 1}


def test_ages_are_computed_on_the_entry_date_by_the_database(esf_project):
    """Birthdays on the entry date, the day before and the day after; 29 February."""
    day = D(2019, 2, 28)
    for born in (D(1994, 2, 28), D(1994, 3, 1), D(1964, 2, 27), D(1964, 3, 1), D(1996, 2, 29)):
        participant(esf_project, "F", born, "IO", entry=day)

    rows = compute_indicators(project=esf_project, start=day, end=day)["indicators"]

    # 25 (not <25), 24 (<25), 55 (>54), 54 (not), 22 (born on 29/2, not yet 23 on 28/2)
    assert rows["CO06"]["women"] == 2
    assert rows["CO07"]["women"] == 1


def test_the_output_indicators_are_one_query(population, esf_project, django_assert_num_queries):
    catalogue = catalogues.ESF_2014_2020
    with django_assert_num_queries(1):  # one aggregate over Path, every indicator and sex
        indicators.output_indicators(catalogue=catalogue, project=esf_project, start=START, end=END)


def test_the_result_indicators_are_one_query(
    population, esf_project, django_assert_max_num_queries
):
    catalogue = catalogues.ESF_2014_2020
    with django_assert_max_num_queries(2):  # one aggregate over Path (two allowed)
        results = indicators.result_indicators(
            catalogue=catalogue, project=esf_project, start=START, end=END
        )
    assert results["CR05"]["total"] == 7


def test_compute_indicators_costs_two_queries(population, esf_project, django_assert_num_queries):
    project = labs.Project.objects.select_related("programme").get(pk=esf_project.pk)
    with django_assert_num_queries(2):  # outputs, then results
        compute_indicators(project=project, start=START, end=END)


def test_a_programme_without_esf_indicators_gets_none(esf_project):
    esf_project.programme = f.ProgrammeFactory(
        code="comunale",
        fund=labs.Programme.Fund.MUNICIPAL,
        indicator_set=labs.Programme.IndicatorSet.NONE,
    )
    esf_project.save()
    participant(esf_project, "F", D(1980, 1, 1), "U", 13)

    result = compute_indicators(project=esf_project, start=START, end=END)

    assert result["catalogue"] == "none"
    assert result["indicators"] == {}
    assert result["participants_total"] == 1


def test_an_empty_period_gives_zeros(esf_project):
    result = compute_indicators(project=esf_project, start=START, end=END)

    assert result["participants_total"] == 0
    assert result["indicators"]["CO01"] == {"men": 0, "women": 0, "total": 0}
    assert result["indicators"]["CR09"] == {"men": 0, "women": 0, "total": 0}


# -- ESF+ 2021-2027 -----------------------------------------------------------------------

PLUS_START, PLUS_END = D(2022, 1, 1), D(2022, 12, 31)
PLUS_ENTRY = D(2022, 3, 10)


@pytest.fixture
def plus_project(db):
    """Period 2022; entries on 10/03/2022 unless said. Ages at entry."""
    programme = f.ProgrammeFactory(
        code="fse-plus-2021-2027",
        name="PR FSE+ 2021-2027",
        fund=labs.Programme.Fund.ESF_PLUS,
        indicator_set=labs.Programme.IndicatorSet.ESF_PLUS_2021,
    )
    p = f.ProjectFactory(programme=programme)
    P = lambda *a, **k: participant(p, *a, entry=k.pop("entry", PLUS_ENTRY), **k)  # noqa: E731
    # fmt: off
    P("F", D(2004, 3, 11), "IS", isced=2)  # q1: 17 (18 tomorrow)
    P("M", D(2004, 3, 10), "U", 7,  # q2: 18 today, LTU (<25, >6)
      exit_date=D(2022, 6, 30), exit_job_searching=True)  # unemployed at entry: not EECR01
    P("X", D(1992, 3, 10), "U", 13, isced=5,  # q3: 30, LTU
      exit_date=D(2022, 5, 1), exit_employed=True,  # EECR04
      followup_date=D(2022, 11, 1), followup_employed=True)  # EECR05
    P("X", D(1992, 3, 11), "IO", isced=0, third_country_national="yes",  # q4: 29
      exit_date=D(2022, 7, 1), exit_job_searching=True, exit_in_education=True)  # EECR01, 02
    P("F", D(1967, 3, 10), "E", foreign_background="yes",  # q5: 55 today
      exit_date=D(2022, 8, 1), exit_qualification=True, exit_employed=True)  # EECR03, 04
    P("M", D(1967, 3, 11), "U", 12, isced=4, minority="yes", disability="yes")  # q6: 54
    P("F", D(1990, 5, 5), "IO", isced=7, homeless_or_housing_exclusion=True,  # q7: 31
      rural_area=True)
    P("M", D(1950, 1, 1), "E", isced=6, third_country_national="declined")  # q8: 72
    P("F", D(1980, 1, 1), "E", isced=None, disability="declined")  # q9: incomplete
    P("M", D(1980, 1, 1), "U", 13, entry=D(2021, 1, 15),  # q10: entered before
      exit_date=D(2021, 12, 31), followup_date=D(2022, 6, 30), followup_employed=True,
      followup_improved=True)  # EECR05, EECR06
    # fmt: on
    return p


# code: (men, women, non-binary, total)
EXPECTED_ESF_PLUS = {
    "EECO01": (3, 3, 2, 8),  # M q2 q6 q8; F q1 q5 q7; X q3 q4
    "EECO02": (2, 0, 1, 3),  # M q2 q6; X q3
    "EECO03": (1, 0, 1, 2),  # M q2; X q3
    "EECO04": (0, 2, 1, 3),  # F q1 q7; X q4
    "EECO05": (1, 1, 0, 2),  # M q8; F q5
    "EECO06": (0, 1, 0, 1),  # F q1
    "EECO07": (1, 0, 1, 2),  # M q2; X q4
    "EECO08": (1, 1, 0, 2),  # M q8; F q5
    "EECO09": (0, 1, 1, 2),  # F q1; X q4
    "EECO10": (2, 1, 0, 3),  # M q2 q6; F q5
    "EECO11": (1, 1, 1, 3),  # M q8; F q7; X q3
    "EECO12": (1, 0, 0, 1),  # M q6
    "EECO13": (0, 0, 1, 1),  # X q4
    "EECO14": (0, 1, 0, 1),  # F q5
    "EECO15": (1, 0, 0, 1),  # M q6
    "EECO16": (0, 1, 0, 1),  # F q7
    "EECO17": (0, 1, 0, 1),  # F q7
    "EECR01": (0, 0, 1, 1),  # X q4
    "EECR02": (0, 0, 1, 1),  # X q4
    "EECR03": (0, 1, 0, 1),  # F q5
    "EECR04": (0, 1, 1, 2),  # F q5; X q3
    "EECR05": (1, 0, 1, 2),  # M q10; X q3
    "EECR06": (1, 0, 0, 1),  # M q10
}


def test_esf_plus_has_three_sexes_and_its_own_items(plus_project):
    result = compute_indicators(project=plus_project, start=PLUS_START, end=PLUS_END)

    assert result["catalogue"] == "esf_plus_2021_2027"
    assert result["sexes"] == ["men", "women", "non_binary"]
    got = {
        code: (row["men"], row["women"], row["non_binary"], row["total"])
        for code, row in result["indicators"].items()
    }
    assert got == EXPECTED_ESF_PLUS
    assert result["participants_total"] == 9
    assert result["participants_incomplete"] == 1  # q9
    assert result["sensitive_not_answered"] == 1  # q8 declined third-country nationality


def test_esf_plus_costs_two_queries(plus_project, django_assert_num_queries):
    project = labs.Project.objects.select_related("programme").get(pk=plus_project.pk)
    with django_assert_num_queries(2):
        compute_indicators(project=project, start=PLUS_START, end=PLUS_END)


def test_catalogues_name_known_rules_and_unique_codes():
    for catalogue in catalogues.CATALOGUES.values():
        codes = [i.code for i in catalogue.indicators]
        assert len(codes) == len(set(codes))
        for indicator in catalogue.indicators:
            known = [*indicators.RULES, indicators.SENSITIVE_NOT_ANSWERED]
            assert indicator.rule in known
            assert str(indicator.label) and indicator.label_en
    assert len(catalogues.ESF_2014_2020.outputs) == 21  # CO01-CO19, ISCED 0, non-answers
    assert len(catalogues.ESF_2014_2020.results) == 9
    assert len(catalogues.ESF_PLUS_2021_2027.outputs) == 17
    assert len(catalogues.ESF_PLUS_2021_2027.results) == 6


# -- The project's own figures -------------------------------------------------------------


def _member(household, person, since, until=None, relation="other"):
    b.HouseholdMember.objects.create(
        household=household, person=person, relation=relation, start_date=since, end_date=until
    )


def _person(name):
    return b.Person.objects.create(
        first_name=name, last_name="Prova", sex="F", birth_date=D(1980, 1, 1)
    )


def _session(activity, day, start, end, state=labs.Session.State.HELD, head_count=0):
    return labs.Session.objects.create(
        activity=activity,
        date=day,
        start_time=dt.time(*start),
        end_time=dt.time(*end),
        state=state,
        head_count=head_count,
        cancel_reason="maltempo" if state == labs.Session.State.CANCELLED else "",
    )


@pytest.fixture
def figures_project(db):
    """A small project, period 1/1-30/6/2019, every figure worked out in the comments."""
    p = f.ProjectFactory(
        target_households=10, target_people=20, target_hours=50, target_participants=8
    )
    other = f.ProjectFactory(programme=p.programme)
    roma = f.BuildingFactory(name="Case di via Roma", address="Via Roma 1")
    milano = f.BuildingFactory(name="Torri di via Milano", address="Via Milano 2")
    u1, u2 = f.HousingUnitFactory(building=roma), f.HousingUnitFactory(building=roma)
    u3 = f.HousingUnitFactory(building=milano)
    a, bb, c, d, e, ff, g, h, i = (_person(n) for n in "abcdefghi")

    # H1 in via Roma: a (current) reached, b left before the period.
    h1 = f.HouseholdFactory(project=p, code="H1")
    b.Tenancy.objects.create(household=h1, unit=u1, moved_in=D(2010, 1, 1))
    _member(h1, a, D(2010, 1, 1), relation="reference")
    _member(h1, bb, D(2010, 1, 1), D(2018, 12, 31))
    # H2 in via Roma: c joined and d left during the period, both reached.
    h2 = f.HouseholdFactory(project=p, code="H2")
    b.Tenancy.objects.create(household=h2, unit=u2, moved_in=D(2015, 1, 1))
    _member(h2, c, D(2019, 3, 1))
    _member(h2, d, D(2015, 1, 1), D(2019, 2, 1))
    # H3 moved into via Milano in February: e, f reached; g joins after the period.
    h3 = f.HouseholdFactory(project=p, code="H3")
    b.Tenancy.objects.create(household=h3, unit=u3, moved_in=D(2019, 2, 1))
    _member(h3, e, D(2016, 1, 1))
    _member(h3, ff, D(2016, 1, 1))
    _member(h3, g, D(2019, 7, 1))
    # H4 lived in via Milano until 2018 and nobody of it is left: not reached.
    h4 = f.HouseholdFactory(project=p, code="H4")
    b.Tenancy.objects.create(
        household=h4, unit=u3, moved_in=D(2017, 1, 1), moved_out=D(2018, 12, 31)
    )
    _member(h4, h, D(2017, 1, 1), D(2018, 6, 30))
    # H5 has no unit on record: reached, in no building.
    h5 = f.HouseholdFactory(project=p, code="H5")
    _member(h5, i, D(2018, 1, 1))
    # Another project's household: never counted.
    h6 = f.HouseholdFactory(project=other, code="H6")
    _member(h6, _person("z"), D(2018, 1, 1))

    # Activities: LAB (A1 by Coop Aurora, A2 by AFOL), INC (A3 by AFOL, A4 by Aurora).
    lab = f.AxisFactory(project=p, code="LAB", name="Laboratorio sociale", order=1)
    inc = f.AxisFactory(project=p, code="INC", name="Inclusione attiva", order=2)
    aurora = f.OrganisationFactory(name="Coop Aurora")
    afol = f.OrganisationFactory(name="AFOL Metropolitana")
    a1 = f.ActivityFactory(project=p, axis=lab, organisation=aurora, name="A1")
    a2 = f.ActivityFactory(project=p, axis=lab, organisation=afol, name="A2")
    a3 = f.ActivityFactory(project=p, axis=inc, organisation=afol, name="A3")
    a4 = f.ActivityFactory(project=p, axis=inc, organisation=aurora, name="A4")
    s1 = _session(a1, D(2019, 2, 1), (9, 0), (11, 0), head_count=15)  # 120'
    s2 = _session(a1, D(2019, 3, 1), (9, 0), (10, 30))  # 90'
    s3 = _session(a1, D(2019, 4, 1), (9, 0), (11, 0), state=labs.Session.State.CANCELLED)
    s4 = _session(a2, D(2019, 5, 1), (14, 0), (17, 0))  # 180'
    s5 = _session(a3, END, (9, 0), (13, 0), head_count=5)  # 240', the last day
    s6 = _session(a3, D(2019, 7, 1), (9, 0), (11, 0), head_count=100)  # after
    _session(a4, D(2018, 12, 31), (9, 0), (11, 0))  # before
    _session(a2, D(2019, 6, 15), (9, 0), (11, 0), state=labs.Session.State.PLANNED)
    _session(f.ActivityFactory(project=other), D(2019, 3, 3), (9, 0), (12, 0))
    for session, person, hours in [
        (s1, a, "2.00"),
        (s1, c, "1.50"),
        (s2, a, "1.50"),
        (s4, e, "3.00"),
        (s5, c, "4.00"),
        (s3, d, "1.00"),
        (s6, a, "2.00"),  # cancelled, after: not counted
    ]:
        b.Attendance.objects.create(session=session, person=person, hours=Decimal(hours))

    # Paths: opened pb pc pe; active on 30/6 pa pc pe; closed pb.
    for person, entry, exit_ in [
        (a, D(2018, 6, 1), None),  # pa
        (c, D(2019, 2, 1), D(2019, 5, 1)),  # pb
        (e, D(2019, 3, 1), D(2019, 7, 15)),  # pc
        (ff, D(2018, 1, 1), D(2018, 12, 31)),  # pd
        (i, END, None),  # pe
        (g, D(2019, 7, 1), None),  # pf
    ]:
        participant(p, "F", None, "E", person=person, entry=entry, exit_date=exit_)

    # Reports: opened r1 r3 r4 r5 r6 r8; solved r1 (10 d) r2 (62) r3 (4) r8 (20).
    def report(opened, solved=None, status=labs.ResidentReport.Status.SOLVED, project=p):
        labs.ResidentReport.objects.create(
            project=project,
            building=roma,
            category="maintenance",
            description="...",
            opened_on=opened,
            solved_on=solved,
            status=status if solved else labs.ResidentReport.Status.OPEN,
        )

    report(D(2019, 1, 10), D(2019, 1, 20))  # r1
    report(D(2018, 12, 1), D(2019, 2, 1))  # r2: opened before
    report(D(2019, 3, 1), D(2019, 3, 5))  # r3
    report(D(2019, 4, 1))  # r4: still open
    report(D(2019, 5, 1), D(2019, 7, 10))  # r5: solved after
    report(D(2019, 2, 1), D(2019, 2, 3), status=labs.ResidentReport.Status.REJECTED)  # r6
    report(D(2019, 3, 1), D(2019, 3, 2), project=other)  # r7
    report(D(2019, 6, 1), D(2019, 6, 21))  # r8

    # Arrears: on 1/1 H1 700, H3 1200, H4 50; on 30/6 H2 300, H3 1200.
    for household, day, amount in [
        (h1, D(2018, 10, 1), "500"),
        (h1, START, "700"),
        (h1, D(2019, 6, 1), "0"),
        (h2, D(2019, 3, 1), "300"),
        (h3, D(2018, 5, 1), "1200"),
        (h3, D(2019, 7, 1), "0"),
        (h4, D(2018, 1, 1), "50"),
        (h4, D(2019, 4, 1), "0"),
        (h5, D(2018, 12, 31), "0"),
        (h6, D(2019, 1, 1), "999"),
    ]:
        b.ArrearsRecord.objects.create(household=household, recorded_on=day, amount=Decimal(amount))
    return p


def test_households_and_people_reached_by_building(figures_project):
    figures = period_figures(project=figures_project, start=START, end=END)

    assert figures["households"] == {"reached": 4, "target": 10}  # H1 H2 H3 H5
    assert figures["people"] == {"reached": 6, "target": 20}  # a c d e f i
    assert [(r["name"], r["households"], r["people"]) for r in figures["buildings"]] == [
        ("Case di via Roma", 2, 3),  # H1 (a), H2 (c, d)
        ("Torri di via Milano", 1, 2),  # H3 (e, f)
    ]


def test_activities_sessions_and_hours_by_axis_and_organisation(figures_project):
    figures = period_figures(project=figures_project, start=START, end=END)
    activities = figures["activities"]

    assert activities["sessions_held"] == 4  # s1 s2 s4 s5
    assert activities["hours"] == Decimal("10.50")
    assert activities["target_hours"] == 50
    assert [
        (r["code"], r["activities"], r["sessions_held"], r["hours"]) for r in activities["by_axis"]
    ] == [("LAB", 2, 3, Decimal("6.50")), ("INC", 1, 1, Decimal("4.00"))]
    assert [
        (r["name"], r["activities"], r["sessions_held"], r["hours"])
        for r in activities["by_organisation"]
    ] == [("AFOL Metropolitana", 2, 2, Decimal("7.00")), ("Coop Aurora", 1, 2, Decimal("3.50"))]


def test_attendance_named_and_head_counts(figures_project):
    attendance = period_figures(project=figures_project, start=START, end=END)["attendance"]

    assert attendance == {
        "named_rows": 5,  # s1 a, s1 c, s2 a, s4 e, s5 c
        "named_people": 3,  # a c e
        "named_hours": Decimal("12.00"),
        "head_count": 20,  # s1 15 + s5 5
    }


def test_paths_opened_active_and_closed(figures_project):
    participants = period_figures(project=figures_project, start=START, end=END)["participants"]

    assert participants == {"opened": 3, "active_at_end": 3, "closed": 1, "target": 8}


def test_residents_reports_and_the_median_days_to_solve(figures_project):
    reports = period_figures(project=figures_project, start=START, end=END)["resident_reports"]

    assert reports["opened"] == 6  # r1 r3 r4 r5 r6 r8
    assert reports["solved"] == 4  # r1 r2 r3 r8
    assert reports["median_days_to_solve"] == Decimal("15")  # 4 10 | 20 62 -> (10 + 20) / 2


def test_median_of_an_odd_count_and_of_none(figures_project):
    odd = period_figures(project=figures_project, start=START, end=D(2019, 3, 31))
    none = period_figures(project=figures_project, start=D(2020, 1, 1), end=D(2020, 6, 30))

    assert odd["resident_reports"]["median_days_to_solve"] == Decimal("10")  # 4 | 10 | 62
    assert none["resident_reports"]["median_days_to_solve"] is None


def test_arrears_at_the_start_and_at_the_end(figures_project):
    arrears = period_figures(project=figures_project, start=START, end=END)["arrears"]

    assert arrears["start"] == {"date": START, "total": Decimal("1950.00"), "households": 3}
    assert arrears["end"] == {"date": END, "total": Decimal("1500.00"), "households": 2}


def test_project_figures_cost_a_fixed_number_of_queries(figures_project, django_assert_num_queries):
    # reach, buildings; axes, organisations, session totals, attendance; paths;
    # report counts, median; arrears
    with django_assert_num_queries(10):
        period_figures(project=figures_project, start=START, end=END)
