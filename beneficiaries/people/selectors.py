"""Read-side queries on people, each taking the acting user so scoping cannot be forgotten."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from beneficiaries.models import Consent, Person
from labs import access

# What a role without sensitive access (a partner operator) receives of a person.
CONTACT_FIELDS = ("pk", "first_name", "last_name", "phone", "email")


@dataclass(frozen=True)
class PersonContact:
    """A person as a partner operator may know them: name and contact, nothing else. The
    view hands this to the template instead of the Person, so no sensitive field can be
    printed by mistake."""

    pk: int
    first_name: str
    last_name: str
    phone: str
    email: str

    @classmethod
    def of(cls, person: Person) -> "PersonContact":
        return cls(**{name: getattr(person, name) for name in CONTACT_FIELDS})

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"


def _valid_notice():
    return Consent.objects.valid_on(timezone.localdate()).filter(
        person=OuterRef("pk"), purpose=Consent.Purpose.PRIVACY_NOTICE
    )


def people_for(user, project, search: str = "", sensitive: bool = False):
    """People of a project the user may see, to filter, count and page. ``has_privacy_notice``
    (valid today) can be filtered on but is not read here: ``page_of_people`` reads it for
    the rows shown, so the list never checks every consent of the database."""
    people = access.scoped(Person, user, project).alias(has_privacy_notice=Exists(_valid_notice()))
    if search:
        people = people.matching(search, tax_code=sensitive)
    people = people.order_by("last_name", "first_name", "pk")
    # Rows as plain values for a role without sensitive access: name and contact only.
    return people if sensitive else people.values(*CONTACT_FIELDS)


def page_of_people(people, sensitive: bool = False):
    """The rows of one page of ``people_for`` (sliced), flagged when their privacy notice
    is missing, expired or withdrawn: one query, the notice looked up for these rows only.
    The rows are those of the page (``pk IN`` the scoped, sliced queryset), so nothing
    outside the user's scope can appear; a role without sensitive access gets values."""
    rows = (
        Person.objects.filter(pk__in=people.values("pk"))
        .annotate(has_privacy_notice=Exists(_valid_notice()))
        .order_by(*people.query.order_by)
    )
    return rows if sensitive else rows.values(*CONTACT_FIELDS, "has_privacy_notice")


def privacy_notice_state(person) -> str:
    """'valid', 'expired', 'withdrawn' or 'missing' for today."""
    today = timezone.localdate()
    notices = [c for c in person.consents.all() if c.purpose == Consent.Purpose.PRIVACY_NOTICE]
    if any(c.is_valid_on(today) for c in notices):
        return "valid"
    if any(c.withdrawn_on and c.withdrawn_on <= today for c in notices):
        return "withdrawn"
    if notices:
        return "expired"
    return "missing"


def suspected_duplicates(user, project) -> list[tuple[Person, Person, bool]]:
    """Pairs of people of the project that may be the same person: same birth date and
    the same names ignoring accents, case and order. Each pair says whether it is already
    linked. The database finds the shared birth dates; only those people are compared."""
    from django.db.models import Count

    from beneficiaries.models import PersonLink
    from beneficiaries.services import _name_key

    people = access.scoped(Person, user, project)
    shared = (
        people.values("birth_date").annotate(n=Count("pk")).filter(n__gt=1).values("birth_date")
    )
    candidates = list(people.filter(birth_date__in=shared).order_by("birth_date", "pk"))
    linked = {
        (link.person_id, link.same_as_id)
        for link in PersonLink.objects.filter(unlinked_at__isnull=True, person__in=candidates).only(
            "person_id", "same_as_id"
        )
    }
    pairs = []
    for i, a in enumerate(candidates):
        key_a = {_name_key(a.first_name), _name_key(a.last_name)}
        for b in candidates[i + 1 :]:
            if b.birth_date != a.birth_date:
                break
            if {_name_key(b.first_name), _name_key(b.last_name)} == key_a:
                is_linked = (a.pk, b.pk) in linked or (b.pk, a.pk) in linked
                pairs.append((a, b, is_linked))
    return pairs


def attention_counts(user) -> list[dict]:
    """Per project where the user sees sensitive data: paths whose ESF entry data are
    incomplete, and people without a valid privacy notice. Two queries in all."""
    from django.db.models import Count

    from beneficiaries.models import Path, Registration
    from labs.models import Project

    project_ids = access.project_ids_for(user, "people.view_sensitive")
    if not project_ids:
        return []
    incomplete = (
        Q(labour_status="") | Q(education_level__isnull=True) | Q(jobless_household__isnull=True)
    )
    paths = dict(
        access.scoped(Path, user)
        .filter(incomplete)
        .values("project_id")
        .annotate(n=Count("pk"))
        .values_list("project_id", "n")
    )
    today = timezone.localdate()
    valid_notice = Consent.objects.valid_on(today).filter(
        person=OuterRef("person_id"), purpose=Consent.Purpose.PRIVACY_NOTICE
    )
    missing = dict(
        access.scoped(Registration, user)
        .exclude(Exists(valid_notice))
        .values("project_id")
        .annotate(n=Count("pk"))  # one registration per person and project
        .values_list("project_id", "n")
    )
    projects = access.scoped(Project, user).filter(pk__in=project_ids).only("slug", "short_name")
    return [
        {
            "project": p,
            "incomplete_paths": paths.get(p.pk, 0),
            "missing_privacy": missing.get(p.pk, 0),
        }
        for p in projects
        if paths.get(p.pk) or missing.get(p.pk)
    ]
