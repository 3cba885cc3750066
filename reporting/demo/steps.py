"""The ``[[steps]]`` of a project's data file, run in order: each one is a function of
``STEPS`` named by its ``do`` key. The order matters: the demo's one random generator
draws in it, so the same files always give the same rows."""

from __future__ import annotations

from decimal import Decimal as D

from beneficiaries.models import Person
from labs.models import Session

from .dates import random_date, session_days
from .groups import define_group, resolve
from .paths import new_path, path_period, path_periods
from .people import extra_person
from .records import add_arrears, add_case_notes, add_consents, add_resident_reports
from .repayments import add_repayment_plans
from .sessions import add_individual_sessions, add_sessions, new_activity, validate_registers
from .state import Demo, ProjectBatch, save_extra_people


def extra_people(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    """``count`` people met outside the households (sex cycling through ``sexes`` if
    given), written at once."""
    sexes = spec.get("sexes")
    batch.groups[spec["name"]] = [
        extra_person(
            demo,
            batch,
            sex=sexes[i % len(sexes)] if sexes else None,
            age=tuple(spec.get("age", (20, 70))),
            foreign_share=spec.get("foreign_share", 0.3),
            no_tax_code_share=spec.get("no_tax_code_share", 0.1),
        )
        for i in range(spec["count"])
    ]
    save_extra_people(batch)


def group_sessions(demo: Demo, batch: ProjectBatch, activity, block: dict) -> None:
    """A block of sessions on dated days, with pool, walk-ins and head count."""
    walk_in = block.get("walk_in")
    created = add_sessions(
        demo,
        batch,
        activity,
        session_days(block, batch.activity_start, batch.today),
        block,
        pool=resolve(batch, block["pool"]) if "pool" in block else None,
        walk_in=(resolve(batch, walk_in["people"]), walk_in["min"], walk_in["max"])
        if walk_in
        else None,
        active=path_periods(batch) if block.get("while_on_path") else None,
    )
    if "first_cancelled" in block:  # e.g. rained off after the registers were drawn
        first = created[0]
        first.state, first.cancel_reason, first.head_count = (
            Session.State.CANCELLED,
            block["first_cancelled"],
            0,
        )
        batch.attendances = [a for a in batch.attendances if a.session is not first]


def individual_sessions(demo: Demo, batch: ProjectBatch, activity, block: dict) -> None:
    """One-to-one meetings: with each participant during the path (``people = "paths"``)
    or with a group from a day drawn in ``start_between`` to the demo date."""
    if block["people"] == "paths":
        people = [(p.person, *path_period(p, batch)) for p in batch.paths]
    else:
        first, last = block["start_between"]
        people = [
            (p, random_date(demo.rng, first, last), batch.today)
            for p in resolve(batch, block["people"])
        ]
    add_individual_sessions(demo, batch, activity, people, block)


def activity(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    """An activity with its ``[[steps.sessions]]`` blocks, then ``enrol`` (people enrolled
    from a date without being in the registers' pool)."""
    created = new_activity(demo, batch, spec)
    for block in spec.get("sessions", []):
        if block.get("individual"):
            individual_sessions(demo, batch, created, block)
        else:
            group_sessions(demo, batch, created, block)
    if "enrol" in spec:
        for person in resolve(batch, spec["enrol"]["people"]):
            batch.enrol(created, person, spec["enrol"]["since"])


def paths(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    """ESF paths of ``people``, entering within ``windows`` ({count, from, to, exit_share};
    the last takes the rest); ``incomplete`` and ``declined`` are positions in the list."""
    windows = spec["windows"]
    for i, person in enumerate(resolve(batch, spec["people"])):
        window, before = windows[-1], 0
        for candidate in windows[:-1]:
            before += candidate["count"]
            if i < before:
                window = candidate
                break
        entry = random_date(demo.rng, window["from"], window["to"])
        new_path(
            demo,
            batch,
            person,
            entry,
            spec,
            incomplete=i in spec.get("incomplete", ()),
            declined=i in spec.get("declined", ()),
            exit_share=window.get("exit_share", 0.6),
        )


def validate(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    validate_registers(batch, spec["until"], demo.users[spec["by"]])


def arrears(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    add_arrears(
        demo,
        batch,
        resolve(batch, spec["households"]),
        spec["dates"],
        community_work_share=spec.get("community_work_share", 0.0),
    )


def case_notes(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    add_case_notes(
        demo,
        batch,
        demo.users[spec["author"]],
        resolve(batch, spec["people"]),
        resolve(batch, spec.get("households", [])),
        extra_texts=spec.get("extra_texts", ()),
    )


def resident_reports(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    add_resident_reports(
        demo,
        batch,
        spec["count"],
        demo.organisations[spec["assigned_to"]],
        demo.users[spec["created_by"]],
    )


def consents(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    add_consents(demo, batch, demo.users[spec["recorded_by"]])


def duplicate(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    """The first person of ``of`` met again without codice fiscale on ``met_on``: a second
    record, linked to the first once everything is written."""
    original = resolve(batch, spec["of"])[0]
    copy = Person(
        first_name=original.first_name,
        last_name=original.last_name,
        birth_date=original.birth_date,
        sex=original.sex,
        citizenship=original.citizenship,
        tax_code=None,
    )
    batch.extra_people.append(copy)
    save_extra_people(batch)
    batch.contact(copy, spec["met_on"])
    batch.links.append(
        {
            "person": copy,
            "same_as": original,
            "linked_by": demo.users[spec["linked_by"]],
            "note": spec["note"],
        }
    )


STEPS = {
    "group": lambda demo, batch, spec: define_group(demo, batch, spec),
    "extra_people": extra_people,
    "activity": activity,
    "paths": paths,
    "validate_registers": validate,
    "arrears": arrears,
    "repayment_plans": lambda demo, batch, spec: add_repayment_plans(
        demo,
        batch,
        creditor=spec["creditor"],
        desk=spec["desk"],
        hours_per_month=D(spec["hours_per_month"]),
    ),
    "case_notes": case_notes,
    "resident_reports": resident_reports,
    "consents": consents,
    "duplicate": duplicate,
}


def run_steps(demo: Demo, batch: ProjectBatch, steps: list[dict]) -> None:
    for spec in steps:
        STEPS[spec["do"]](demo, batch, spec)
