"""Adda Martesana's governance (data/adda_martesana_governance.toml): its bodies with
members and meetings, and the équipe's case reviews of the project's paths.

Deterministic: its own ``random.Random`` (the seed's other draws do not move), paths
taken in id order, reviews every ``review_every_days`` from each path's entry until its
exit or the end of the project, by the équipe the path is assigned to in turn."""

from __future__ import annotations

import datetime as dt
import random

from beneficiaries.models import CaseReview, Path
from labs.models import Body, BodyMember, Meeting, Project

from . import loader
from .state import Demo


def build_governance(demo: Demo, *, seed: int) -> None:
    data = loader.read("adda_martesana_governance")
    project = Project.objects.get(slug=data["project"])
    users = demo.users
    teams: list[tuple[Body, list[BodyMember]]] = []
    for spec in data["bodies"]:
        body = Body.objects.create(
            project=project, kind=spec["kind"], name=spec["name"], remit=spec["remit"]
        )
        members = [
            BodyMember.objects.create(
                body=body,
                organisation=demo.organisations[m["organisation"]],
                full_name=m["name"],
                position=m.get("position", ""),
                user=users.get(m.get("user", "")),
            )
            for m in spec["members"]
        ]
        for m in spec.get("meetings", []):
            meeting = Meeting.objects.create(
                body=body,
                date=m["date"],
                place=m.get("place", ""),
                agenda=m.get("agenda", ""),
                decisions=m["decisions"],
            )
            chosen = m["attendees"]
            meeting.attendees.set(members if chosen == "all" else [members[i] for i in chosen])
        if body.kind == Body.Kind.TEAM:
            teams.append((body, members))
    add_case_reviews(random.Random(seed), project, teams, data)


def add_case_reviews(rng, project: Project, teams, data: dict) -> None:
    every = dt.timedelta(days=data["review_every_days"])
    decisions = data["review_decisions"]
    paths = Path.objects.filter(project=project).order_by("pk")
    turn = 0
    for n, path in enumerate(paths):
        body, members = teams[n % len(teams)]
        last = min(path.exit_date or project.end_date, project.end_date)
        day = path.entry_date + dt.timedelta(days=rng.randint(14, 30))
        while day <= last:
            following = day + every
            review = CaseReview.objects.create(
                path=path,
                body=body,
                date=day,
                decisions=decisions[turn % len(decisions)],
                # The last review before the exit sets no next date.
                next_review_on=following if following <= last or not path.exit_date else None,
            )
            review.participants.set(rng.sample(members, k=min(3, len(members))))
            turn += 1
            day = following + dt.timedelta(days=rng.randint(-7, 7))
