"""ESF participants (``Path``): the entry profile frozen at entry, for some the exit and
the 6-month follow-up."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from beneficiaries.models import Answer, Path, Person

from .dates import age_on, random_date
from .people import COUNTRY_NAMES, EU_CITIZENSHIPS
from .state import Demo, ProjectBatch

PL = Path.LabourStatus
SENSITIVE_ANSWERS = ["foreign_background", "minority", "disability", "other_disadvantage"]


def household_facts(batch: ProjectBatch, person: Person, day: dt.date) -> dict:
    """Dependent children and single adult, read from the person's current household."""
    household = batch.household_of.get(person.pk)
    if household is None:
        return {}
    current = [m.person for m in household.demo_members if m.end is None]
    ages = [age_on(p.birth_date, day) for p in current]
    return {
        "dependent_children": any(a < 18 for a in ages),
        "single_adult_household": sum(1 for a in ages if a >= 18) == 1,
    }


def entry_profile(rng, batch: ProjectBatch, person: Person, entry: dt.date, spec: dict) -> Path:
    """The participant's situation on entry, drawn in a fixed order."""
    age = age_on(person.birth_date, entry)
    labour = rng.choices(
        [PL.UNEMPLOYED, PL.INACTIVE_OTHER, PL.EMPLOYED, PL.INACTIVE_STUDYING],
        [60, 24, 11, 5 if age >= 25 else 20],
    )[0]
    foreign = person.birth_place in COUNTRY_NAMES or person.citizenship != "IT"
    facts = household_facts(batch, person, entry)
    return Path(
        person=person,
        project=batch.project,
        axis=batch.axes[spec["axis"]],
        entry_date=entry,
        planned_hours=Decimal(rng.randrange(*spec.get("planned_hours", (80, 160)), 10)),
        labour_status=labour,
        unemployment_months=rng.randint(2, 40) if labour == PL.UNEMPLOYED else None,
        education_level=rng.choices([0, 1, 2, 3, 4, 6, 7], [2, 10, 44, 34, 3, 5, 2])[0],
        jobless_household=labour != PL.EMPLOYED and rng.random() < 0.65,
        # the default is drawn even when the household answers (keeps the draws in step)
        dependent_children=facts.get("dependent_children", rng.random() < 0.4),
        single_adult_household=facts.get("single_adult_household", rng.random() < 0.2),
        homeless_or_housing_exclusion=rng.random() < spec.get("housing_exclusion_share", 0.0),
        rural_area=False,
        foreign_background=Answer.YES if foreign else Answer.NO,
        third_country_national=Answer.NO if person.citizenship in EU_CITIZENSHIPS else Answer.YES,
        minority=Answer.NO,
        disability=Answer.YES if rng.random() < spec.get("disability_share", 0.08) else Answer.NO,
        other_disadvantage=Answer.YES
        if rng.random() < spec.get("other_disadvantage_share", 0.3)
        else Answer.NO,
    )


def leave_gap(rng: random.Random, path: Path) -> None:
    """An incomplete entry profile: labour, education or the sensitive answers missing."""
    gap = rng.choice(["labour", "education", "sensitive"])
    if gap == "labour":
        path.labour_status, path.unemployment_months = "", None
    elif gap == "education":
        path.education_level = None
    else:
        path.foreign_background = path.third_country_national = path.minority = ""
        path.disability = path.other_disadvantage = ""


def add_exit(rng, batch: ProjectBatch, path: Path, exit_share: float, exit_by) -> None:
    """For some participants the exit (reason, situation) and the 6-month follow-up."""
    entry, last_exit = path.entry_date, exit_by or batch.today
    if not (rng.random() < exit_share and entry + dt.timedelta(days=60) < last_exit):
        return
    exit_date = random_date(rng, entry + dt.timedelta(days=60), last_exit)
    reason = rng.choices(
        [
            Path.ExitReason.COMPLETED,
            Path.ExitReason.EARLY_JOB,
            Path.ExitReason.DROPPED_OUT,
            Path.ExitReason.OTHER,
        ],
        [62, 18, 15, 5],
    )[0]
    path.exit_date, path.exit_reason = exit_date, reason
    path.exit_employed = reason == Path.ExitReason.EARLY_JOB or (
        reason == Path.ExitReason.COMPLETED and rng.random() < 0.2
    )
    path.exit_job_searching = not path.exit_employed and rng.random() < 0.7
    path.exit_in_education = not path.exit_employed and rng.random() < 0.15
    path.exit_qualification = reason == Path.ExitReason.COMPLETED and rng.random() < 0.4
    path.set_followup_window()  # written with bulk_create: save() does not run
    followup = path.followup_due_date + dt.timedelta(days=2)  # inside the window
    if followup <= batch.today and rng.random() < 0.85:
        path.followup_date = followup
        path.followup_employed = rng.random() < (0.75 if path.exit_employed else 0.3)
        path.followup_improved = path.followup_employed or rng.random() < 0.25


def new_path(
    demo: Demo,
    batch: ProjectBatch,
    person: Person,
    entry: dt.date,
    spec: dict,
    *,
    incomplete: bool = False,
    declined: bool = False,
    exit_share: float = 0.6,
) -> Path:
    """An ESF participant of the data file's ``paths`` step (``spec``) entering on
    ``entry``; ``declined``: two sensitive answers declined; ``incomplete``: a gap."""
    rng = demo.rng
    path = entry_profile(rng, batch, person, entry, spec)
    path.tutor = demo.users[spec["tutor"]] if spec.get("tutor") else None
    path.allowance_eligible = (
        path.labour_status != PL.EMPLOYED and batch.project.programme.allowance_hourly_amount > 0
    )
    if declined:
        for name in rng.sample(SENSITIVE_ANSWERS, 2):
            setattr(path, name, Answer.DECLINED)
    if incomplete:
        leave_gap(rng, path)
    add_exit(rng, batch, path, exit_share, spec.get("exit_by"))
    batch.paths.append(path)
    batch.contact(person, entry)
    return path


def path_period(path: Path, batch: ProjectBatch) -> tuple[dt.date, dt.date]:
    return path.entry_date, path.exit_date or batch.today


def path_periods(batch: ProjectBatch) -> dict[int, tuple[dt.date, dt.date]]:
    """Person pk -> (entry, exit or the demo date) of every path of the project."""
    return {p.person.pk: path_period(p, batch) for p in batch.paths}
