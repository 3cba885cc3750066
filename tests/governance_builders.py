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
