"""Governance rows of the named world (bodies, members, meetings, case reviews), for the
URL walker and the governance tests. Each builder is idempotent: the walker calls it once
per user."""

import datetime as dt

from django.core.files.base import ContentFile

from beneficiaries.models import CaseReview, Path
from labs.models import Body, BodyMember, Meeting

MINUTES = b"%PDF-1.4 verbale"


def body(w, project=None, kind="equipe", name="Équipe Valle"):
    project = project or w.a
    obj, _ = Body.objects.get_or_create(project=project, name=name, defaults={"kind": kind})
    return obj


def member(w, project=None, full_name="Anna Neri", organisation=None):
    project = project or w.a
    the_body = body(w, project, name="Équipe Valle" if project == w.a else "Équipe Borgo")
    organisation = organisation or (w.valle if project == w.a else w.borgo)
    obj, _ = BodyMember.objects.get_or_create(
        body=the_body, full_name=full_name, organisation=organisation
    )
    return obj


def second_member(w, project):
    """Valle's équipe has two members: the Comune's social worker and Aurora's coach."""
    if project == w.a:
        member(w, full_name="Luca Bassi", organisation=w.aurora)


def meeting(w, project=None):
    project = project or w.a
    attendee = member(w, project)
    second_member(w, project)
    obj = Meeting.objects.filter(body=attendee.body).first()
    if obj is None:
        obj = Meeting.objects.create(
            body=attendee.body,
            date=dt.date(2019, 6, 3),
            place="Municipio",
            decisions="Avviare due tirocini.",
            minutes=ContentFile(MINUTES, name="verbale.pdf"),
            minutes_name="verbale-giugno.pdf",
            minutes_type="application/pdf",
            minutes_size=len(MINUTES),
        )
        obj.attendees.add(attendee)
    return obj


def review(w, path=None, date=dt.date(2019, 4, 1), next_review_on=dt.date(2019, 7, 1)):
    path = path or w.path
    attendee = member(w, path.project)
    second_member(w, path.project)
    obj = CaseReview.objects.filter(path=path, date=date).first()
    if obj is None:
        obj = CaseReview.objects.create(
            path=path,
            body=attendee.body,
            date=date,
            decisions="Proseguire il bilancio di competenze.",
            next_review_on=next_review_on,
        )
        obj.participants.add(attendee)
    return obj


def borgo_path(w) -> Path:
    from tests import factories as f

    return Path.objects.filter(project=w.b, person=w.carla).first() or f.PathFactory(
        project=w.b, person=w.carla
    )


# URL kwargs for the walker.
def valle_body(w):
    return {"project": "valle", "pk": body(w).pk}


def borgo_body(w):
    return {"project": "valle", "pk": body(w, w.b, name="Équipe Borgo").pk}


def valle_meeting(w):
    return {"project": "valle", "pk": meeting(w).pk}


def borgo_meeting(w):
    return {"project": "valle", "pk": meeting(w, w.b).pk}


def valle_path(w):
    review(w)
    return {"project": "valle", "pk": w.path.pk}


def foreign_path(w):
    path = borgo_path(w)
    review(w, path)
    return {"project": "valle", "pk": path.pk}


def grow(w, people_paths: int = 1000, meetings: int = 300) -> None:
    """Governance at scale for the query ceilings: 40 members and 300 meetings in Valle's
    équipe, 100 reviews of Maria's path, one due review on each of 1,000 paths."""
    team = body(w)
    members = BodyMember.objects.bulk_create(
        [BodyMember(body=team, organisation=w.valle, full_name=f"Operatore {n}") for n in range(40)]
    )
    rows = Meeting.objects.bulk_create(
        [
            Meeting(body=team, date=dt.date(2019, 1, 1) + dt.timedelta(days=n), decisions="Ok")
            for n in range(meetings)
        ]
    )
    Meeting.attendees.through.objects.bulk_create(
        [Meeting.attendees.through(meeting=m, bodymember=a) for m in rows for a in members[:10]],
        batch_size=2000,
    )
    paths = list(Path.objects.filter(project=w.a).exclude(pk=w.path.pk)[:people_paths])
    reviews = CaseReview.objects.bulk_create(
        [
            CaseReview(
                path=w.path,
                body=team,
                date=dt.date(2019, 3, 1) + dt.timedelta(days=n),
                decisions="Proseguire",
            )
            for n in range(100)
        ]
        + [
            CaseReview(
                path=p,
                body=team,
                date=dt.date(2019, 4, 1),
                next_review_on=dt.date(2019, 6, 1),
                decisions="Rivedere",
            )
            for p in paths
        ],
        batch_size=1000,
    )
    CaseReview.participants.through.objects.bulk_create(
        [
            CaseReview.participants.through(casereview=r, bodymember=a)
            for r in reviews
            for a in members[:3]
        ],
        batch_size=2000,
    )
