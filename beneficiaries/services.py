"""Writes on people's data. Keyword-only, atomic, validated."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from labs.concurrency import ConcurrentEditError, save_if_unchanged
from labs.models import Project

from .models import Consent, Person, SensitiveAccess


def sensitive_access_record(
    *, user, person: Person, project: Project, what: str
) -> SensitiveAccess:
    """Log that the user opened the person's sensitive data (GDPR art. 9 accountability)."""
    return SensitiveAccess.objects.create(user=user, person=person, project=project, what=what)


@transaction.atomic
def consent_record(
    *,
    person: Person,
    actor,
    purpose: str,
    signed_on: dt.date,
    expires_on: dt.date | None = None,
    withdrawn_on: dt.date | None = None,
    notes: str = "",
) -> Consent:
    consent = Consent(
        person=person,
        purpose=purpose,
        signed_on=signed_on,
        expires_on=expires_on,
        withdrawn_on=withdrawn_on,
        notes=notes,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    return consent


__all__ = ["ConcurrentEditError"]  # re-exported for the views


def versioned_save(*, instance, expected_version: int):
    """Save an edited record only if nobody saved it since the form showed it."""
    return save_if_unchanged(instance, expected_version=expected_version)


def _name_key(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def person_duplicates(
    *,
    people,
    first_name: str,
    last_name: str,
    birth_date,
    tax_code: str,
    exclude_pk: int | None = None,
) -> list[Person]:
    """Records among ``people`` that may be the same person: the same codice fiscale, or
    the same birth date with the same names, ignoring accents and case, possibly swapped."""
    from django.db.models import Q

    from partners.validators import normalise_code

    code = normalise_code(tax_code or "")
    query = Q(birth_date=birth_date) if birth_date else Q(pk__in=[])
    if code:
        query |= Q(tax_code=code)
    candidates = people.filter(query)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    names = {_name_key(first_name), _name_key(last_name)}
    return [
        p
        for p in candidates[:50]
        if (code and p.tax_code == code)
        or {_name_key(p.first_name), _name_key(p.last_name)} == names
    ]


@transaction.atomic
def person_create(*, project: Project, actor, data: dict, registered_on: dt.date) -> Person:
    """Register a new person in a project."""
    from .models import Registration

    person = Person(**data)
    person.full_clean()
    person.save()
    Registration.objects.create(project=project, person=person, registered_on=registered_on)
    return person


class PersonError(Exception):
    """A person change that the rules refuse; the message is for the user."""


def person_known_elsewhere(
    *, project: Project, tax_code: str, first_name: str, last_name: str, birth_date
) -> Person | None:
    """The person registered in another project whose codice fiscale, names (accents,
    case and order ignored) and birth date are all those typed: only someone who already
    knows all of them finds the record, so nothing is revealed to a guess."""
    from partners.validators import normalise_code

    code = normalise_code(tax_code or "")
    if not code:
        return None
    person = Person.objects.filter(tax_code=code, birth_date=birth_date).first()
    if person is None or person.registrations.filter(project=project).exists():
        return None
    if {_name_key(person.first_name), _name_key(person.last_name)} != {
        _name_key(first_name),
        _name_key(last_name),
    }:
        return None
    return person


@transaction.atomic
def person_enrol_existing(*, project: Project, actor, person: Person, registered_on) -> Person:
    """Register in ``project`` a person another project already follows. The personal
    record is shared; paths, case notes and households stay with each project. The
    enrolment is written to the sensitive-data access log."""
    from .models import Registration

    if Registration.objects.filter(project=project, person=person).exists():
        raise PersonError(_("La persona è già iscritta a questo progetto."))
    Registration.objects.create(project=project, person=person, registered_on=registered_on)
    sensitive_access_record(
        user=actor,
        person=person,
        project=project,
        what=gettext_noop("iscrizione da altro progetto"),
    )
    return person


class HouseholdError(Exception):
    """A household change that the rules refuse; the message is for the user."""


@transaction.atomic
def household_create(
    *,
    project: Project,
    actor,
    code: str,
    unit,
    moved_in: dt.date,
    isee_band: str = "",
    isee_year: int | None = None,
    notes: str = "",
):
    from .models import Household, Tenancy

    household = Household(
        project=project, code=code, isee_band=isee_band, isee_year=isee_year, notes=notes
    )
    household.full_clean()
    if unit is not None and Tenancy.objects.filter(unit=unit, moved_out__isnull=True).exists():
        raise ValidationError({"unit": _("L'alloggio scelto risulta occupato da un altro nucleo.")})
    household.save()
    if unit is not None:
        tenancy = Tenancy(household=household, unit=unit, moved_in=moved_in)
        tenancy.full_clean()
        tenancy.save()
    return household


@transaction.atomic
def household_move(*, household, unit, moved_on: dt.date, actor):
    """Close the household's current tenancy the day before and open one in ``unit``."""
    from .models import Tenancy

    current = household.tenancies.select_for_update().filter(moved_out__isnull=True).first()
    if current is not None:
        if current.unit_id == unit.pk:
            raise HouseholdError(_("Il nucleo abita già in questo alloggio."))
        if moved_on <= current.moved_in:
            raise HouseholdError(
                _("La data del trasloco deve seguire l'ingresso nell'alloggio attuale (%(d)s).")
                % {"d": current.moved_in.strftime("%d/%m/%Y")}
            )
        current.moved_out = moved_on - dt.timedelta(days=1)
        current.save()
    if Tenancy.objects.filter(unit=unit, moved_out__isnull=True).exists():
        raise HouseholdError(_("L'alloggio scelto risulta occupato da un altro nucleo."))
    tenancy = Tenancy(household=household, unit=unit, moved_in=moved_on)
    tenancy.full_clean()
    tenancy.save()
    return tenancy


@transaction.atomic
def household_member_add(*, household, person: Person, relation: str, start_date: dt.date, actor):
    """Add a person (a new, unsaved one is created here) to the household and register them
    in its project."""
    from .models import HouseholdMember, Registration

    if person.pk is None:
        person.full_clean()
        person.save()
    elif HouseholdMember.objects.filter(person=person, end_date__isnull=True).exists():
        raise HouseholdError(
            _("%(p)s fa già parte di un nucleo: registrarne prima l'uscita.") % {"p": person}
        )
    member = HouseholdMember(
        household=household, person=person, relation=relation, start_date=start_date
    )
    member.full_clean()
    member.save()
    Registration.objects.get_or_create(
        project=household.project, person=person, defaults={"registered_on": start_date}
    )
    return member


@transaction.atomic
def household_member_end(*, member, end_date: dt.date, actor):
    if end_date < member.start_date:
        raise HouseholdError(_("L'uscita non può precedere l'ingresso nel nucleo."))
    member.end_date = end_date
    member.full_clean()
    member.save()
    return member


def arrears_record(*, household, actor, **data):
    from .models import ArrearsRecord

    record = ArrearsRecord(household=household, **data)
    record.full_clean()
    record.save()
    return record


def case_note_add(
    *, project: Project, author, text: str, date: dt.date, person=None, household=None
):
    from .models import CaseNote

    note = CaseNote(
        project=project, author=author, text=text, date=date, person=person, household=household
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def person_link(*, person: Person, same_as: Person, actor, note: str = ""):
    """Record that two records are the same person. Nothing is merged; the link is kept
    in the audit trail and can be undone."""
    from .models import PersonLink

    if person.pk == same_as.pk:
        raise HouseholdError(_("Una scheda non può essere collegata a se stessa."))
    existing = PersonLink.objects.filter(
        unlinked_at__isnull=True, person__in=[person, same_as], same_as__in=[person, same_as]
    ).first()
    if existing:
        return existing
    return PersonLink.objects.create(person=person, same_as=same_as, linked_by=actor, note=note)


@transaction.atomic
def person_unlink(*, link, actor):
    from django.utils import timezone

    link.unlinked_at = timezone.now()
    link._change_reason = f"scollegato da {actor}"
    link.save()
    return link
