"""Consents, rent arrears, case notes and residents' reports of a project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from beneficiaries.models import Answer, ArrearsRecord, CaseNote, Consent, Household, Person
from labs.models import ResidentReport

from . import loader
from .dates import age_on, random_date
from .state import Demo, ProjectBatch

D = Decimal
CP = Consent.Purpose
CASE_NOTES: list[str] = loader.texts()["case_notes"]
REPORT_TEXTS: dict[str, dict] = loader.texts()["reports"]  # category -> weight, texts
REPORT_STATUSES = [
    (ResidentReport.Status.SOLVED, 45),
    (ResidentReport.Status.ASSIGNED, 18),
    (ResidentReport.Status.IN_PROGRESS, 15),
    (ResidentReport.Status.OPEN, 15),
    (ResidentReport.Status.REJECTED, 7),
]


def privacy_notice(rng, batch: ProjectBatch, person: Person, day: dt.date, recorded_by):
    """The signed privacy notice (a few expired or withdrawn); None: never signed."""
    roll = rng.random()
    if roll < 0.03:
        return None  # never signed: flagged wherever the person appears
    note = "Firmata dal genitore" if age_on(person.birth_date, day) < 18 else ""
    consent = Consent(
        person=person,
        purpose=CP.PRIVACY_NOTICE,
        signed_on=day,
        recorded_by=recorded_by,
        notes=note,
    )
    if roll < 0.05:
        consent.signed_on = day - dt.timedelta(days=700)
        consent.expires_on = day - dt.timedelta(days=30)
        consent.notes = "Informativa del precedente progetto, scaduta"
    elif roll < 0.065:
        consent.withdrawn_on = random_date(rng, day, batch.today)
        consent.notes = "Revocato su richiesta dell'interessato"
    return consent


def participant_consents(person: Person, path, recorded_by) -> list[Consent]:
    """ESF monitoring, and sensitive data unless the participant declined an answer."""
    signed = {"person": person, "signed_on": path.entry_date, "recorded_by": recorded_by}
    consents = [Consent(purpose=CP.ESF_MONITORING, **signed)]
    answers = (path.foreign_background, path.disability, path.other_disadvantage, path.minority)
    if Answer.DECLINED not in answers:
        consents.append(Consent(purpose=CP.SENSITIVE_DATA, **signed))
    return consents


def add_consents(demo: Demo, batch: ProjectBatch, recorded_by) -> None:
    """Privacy notice for almost everyone the project knows (some missing, expired or
    withdrawn), ESF monitoring and sensitive data for participants, photos for some."""
    rng = demo.rng
    participants = {p.person.pk: p for p in batch.paths}
    known = dict(batch.first_contact)
    for household in batch.households:
        registered = batch.activity_start - dt.timedelta(days=rng.randint(5, 60))
        for member in household.demo_members:
            known.setdefault(member.person.pk, registered)
            batch.people_by_pk[member.person.pk] = member.person
    for pk, day in sorted(known.items()):
        person = batch.people_by_pk[pk]
        consent = privacy_notice(rng, batch, person, day, recorded_by)
        if consent is None:
            continue
        batch.consents.append(consent)
        if pk in participants:
            batch.consents += participant_consents(person, participants[pk], recorded_by)
        elif rng.random() < 0.12:
            batch.consents.append(
                Consent(
                    person=person,
                    purpose=CP.PHOTOS,
                    signed_on=day,
                    expires_on=batch.project.end_date,
                    recorded_by=recorded_by,
                )
            )


def add_arrears(
    demo: Demo,
    batch: ProjectBatch,
    households: list[Household],
    dates: list[dt.date],
    *,
    community_work_share: float = 0.0,
) -> None:
    """Rent arrears over time: most households with a repayment plan reduce their debt."""
    rng = demo.rng
    for household in households:
        amount = D(rng.randrange(400, 7500, 10))
        blameless = rng.random() < 0.4
        plan_from = rng.randrange(len(dates)) if rng.random() < 0.6 else None
        monthly_rate = D(rng.choice([50, 60, 80, 100, 120, 150]))
        work_hours = (
            D(rng.choice([10, 16, 20, 24, 30, 40])) if rng.random() < community_work_share else None
        )
        for i, day in enumerate(dates):
            on_plan = plan_from is not None and i >= plan_from
            batch.arrears.append(
                ArrearsRecord(
                    household=household,
                    recorded_on=day,
                    amount=amount.quantize(D("0.01")),
                    blameless=blameless,
                    repayment_plan=on_plan,
                    plan_monthly_amount=monthly_rate if on_plan else None,
                    community_work_hours=work_hours if on_plan else None,
                    notes="Morosità incolpevole: perdita del lavoro"
                    if blameless and i == 0
                    else "",
                )
            )
            if on_plan:
                paid_in_work = D("0") if work_hours is None else work_hours * D("8")
                amount = max(D("0"), amount - monthly_rate * 3 - paid_in_work)
            else:
                amount += D(rng.randrange(0, 900, 10))


def add_case_notes(
    demo: Demo,
    batch: ProjectBatch,
    author,
    subjects: list[Person],
    households: list[Household],
    extra_texts: list[str] = (),
) -> None:
    """One to three notes on each subject, one on each household, over the year."""
    rng = demo.rng
    texts = CASE_NOTES + list(extra_texts)
    for person in subjects:
        for _ in range(rng.randint(1, 3)):
            batch.notes.append(
                CaseNote(
                    project=batch.project,
                    person=person,
                    household=batch.household_of.get(person.pk),
                    author=author,
                    date=random_date(rng, batch.activity_start, batch.today),
                    text=rng.choice(texts),
                )
            )
    for household in households:
        batch.notes.append(
            CaseNote(
                project=batch.project,
                household=household,
                author=author,
                date=random_date(rng, batch.activity_start, batch.today),
                text=rng.choice(texts),
            )
        )


def new_report(rng, batch: ProjectBatch, assigned_to, created_by) -> ResidentReport:
    """A segnalazione on a building (sometimes a flat), solved or still open."""
    building = rng.choice(batch.buildings)
    categories = list(REPORT_TEXTS)
    category = rng.choices(categories, [REPORT_TEXTS[c]["weight"] for c in categories])[0]
    building_units = batch.units_of[building.pk]
    unit = rng.choice(building_units) if rng.random() < 0.4 else None
    staircase = (
        unit.staircase if unit else rng.choice(sorted({u.staircase for u in building_units}))
    )
    opened = random_date(rng, batch.activity_start, batch.today - dt.timedelta(days=3))
    statuses = [s for s, _ in REPORT_STATUSES]
    status = rng.choices(statuses, [w for _, w in REPORT_STATUSES])[0]
    solved_on = None
    if status == ResidentReport.Status.SOLVED:
        solved_on = opened + dt.timedelta(days=rng.randint(2, 90))
        if solved_on > batch.today:
            status, solved_on = ResidentReport.Status.IN_PROGRESS, None
    return ResidentReport(
        project=batch.project,
        building=building,
        unit=unit,
        category=category,
        description=rng.choice(REPORT_TEXTS[category]["texts"]).format(s=staircase or "A"),
        status=status,
        opened_on=opened,
        solved_on=solved_on,
        assigned_to=None if status == ResidentReport.Status.OPEN else assigned_to,
        created_by=created_by,
    )


def add_resident_reports(demo: Demo, batch: ProjectBatch, count: int, assigned_to, created_by):
    """Segnalazioni over the year on the project's buildings: many solved, some open."""
    for _ in range(count):
        batch.reports.append(new_report(demo.rng, batch, assigned_to, created_by))
