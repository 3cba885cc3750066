"""Named groups of people (or households) that the steps of a project's data file draw
and refer to.

A reference is ``"name"`` or a slice ``"name[a:b]"``; a list of references is their
concatenation. Built in: ``residents`` (current household members), ``households`` and
``paths`` (the people of the project's paths so far, in the order they entered).
"""

from __future__ import annotations

import re

from beneficiaries.models import HouseholdMember

from .dates import age_on
from .state import Demo, ProjectBatch

REFERENCE = re.compile(r"^(\w+)(?:\[(-?\d*):(-?\d*)\])?$")


def _named(batch: ProjectBatch, name: str) -> list:
    if name == "residents":
        return batch.residents
    if name == "households":
        return batch.households
    if name == "paths":
        return [p.person for p in batch.paths]
    return batch.groups[name]


def resolve(batch: ProjectBatch, refs: str | list[str]) -> list:
    """The members of one reference or of a list of references, joined."""
    if isinstance(refs, str):
        refs = [refs]
    members = []
    for ref in refs:
        match = REFERENCE.match(ref)
        if match is None:
            raise ValueError(f"{batch.project.slug}: bad group reference {ref!r}")
        name, start, stop = match.groups()
        group = _named(batch, name)
        if "[" in ref:
            group = group[int(start) if start else None : int(stop) if stop else None]
        members += group
    return members


def _filtered(batch: ProjectBatch, people: list, spec: dict) -> list:
    """Ages on the project's reference day (bounds included), sex, foreign citizenship."""
    low, high = spec.get("min_age"), spec.get("max_age")
    if low is not None or high is not None:
        low, high = low if low is not None else 18, high if high is not None else 120
        people = [p for p in people if low <= age_on(p.birth_date, batch.ref) <= high]
    if "sex" in spec:
        people = [p for p in people if p.sex == spec["sex"]]
    if spec.get("foreign"):
        people = [p for p in people if p.citizenship != "IT"]
    return people


def define_group(demo: Demo, batch: ProjectBatch, spec: dict) -> None:
    """A ``group`` step: ``of`` filtered, minus ``except``, or the reference persons of a
    group of households (``references``); then ``shuffle``, ``sample`` and ``take``."""
    members = _filtered(batch, resolve(batch, spec["of"]), spec)
    if "except" in spec:
        excluded = {p.pk for p in resolve(batch, spec["except"])}
        members = [p for p in members if p.pk not in excluded]
    if spec.get("references"):
        members = [
            m.person
            for household in members
            for m in household.demo_members
            if m.relation == HouseholdMember.Relation.REFERENCE
        ]
    members = list(members)
    if spec.get("shuffle"):
        demo.rng.shuffle(members)
    if "sample" in spec:
        members = demo.rng.sample(members, min(spec["sample"], len(members)))
    if "take" in spec:
        members = members[: spec["take"]]
    batch.groups[spec["name"]] = members
