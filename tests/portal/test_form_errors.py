"""Bad input to every form of the portal: never a 500, an Italian message next to the
field, what was typed kept, nothing saved.

The list of URLs that accept POST comes from the resolver (class-based views with a
``post`` method); a new one without a row in ``POSTERS`` fails
``test_every_post_url_is_covered``. Each form is first fetched with GET as a user allowed
to use it (who that is comes from the MATRIX of test_authorization); then it is posted
empty, and once per field with that field spoiled (text in numbers and dates, impossible
dates, negative numbers, overlong text, a stale ``version``, another project's ids, a
garbage file) while the other fields keep what the form showed.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.portal.test_authorization import MATRIX

# Who posts: the first user of this list the MATRIX lets reach the URL (200, or 405 for
# POST-only actions).
POSTERS = ["alice", "sofia", "paolo", "rita", "admin", "anonymous"]

# POST-only actions have no form to read on GET: what they are sent besides nothing.
# An empty body is a legitimate request for most of them (the action needs no field), so
# only the link, which needs two people, must refuse what it is sent.
POST_ONLY_PAYLOADS = {
    # A tablet's register is JSON: anything else is refused (400) with its reason.
    "registers:offline-submit": [
        {},
        {"version": "abc", "token": "x" * 5000},
        {"version": "1", "token": "0b6f1c3e-8d2a-4c55-9e0a-3f7a1d2b4c5e", "people": "{carla}"},
    ],
    "people:person-link": [
        {},
        {"person": "abc", "same_as": "abc"},
        {"person": "999999", "same_as": "999999", "note": "x" * 5000},
        {"person": "{maria}", "same_as": "{carla}"},  # Carla is a person of Borgo
        {"person": "{maria}", "same_as": "{maria}"},
    ],
}
POST_ONLY_ACCEPTED = {
    name: [{}, {"version": "abc", "pk": "abc", "next": "https://evil.example/"}]
    for name in (
        "people:person-unlink",
        "registers:register-validate",
        "labs:period-close",
        "budget:expense-submit",
        "reporting:report-generate",
        "logout",
        "set_language",
    )
}

# Steps of a wizard that send back to its start when reached without the earlier step.
# The code page of two-factor sends to enrolment a user without an app (all of the world).
NO_FORM_ON_GET = {"imports:import-preview", "two_factor:verify"}

# Messages of Django's English catalogue: none may reach an Italian form.
ENGLISH = re.compile(
    r"\b(this field|required|enter a valid|ensure this|select a valid|please|"
    r"characters|the |is not|must be|already exists|invalid)\b",
    re.IGNORECASE,
)

# Rows that a refused form may still write: the login lockout counters, sessions.
NOT_DATA = {"axes", "sessions", "admin", "contenttypes"}
# Written by database triggers on every save, even one that changes no value: the log of
# what the programme view must recompute (reporting/programmes/figures.py), not data.
NOT_DATA_MODELS = {"reporting.FiguresChange"}

# Statements that cannot change a row ``fingerprint`` reads: reads, savepoints, and writes
# to the tables of NOT_DATA (every request saves its session).
READ_OR_SAVEPOINT = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK)\b", re.IGNORECASE)
WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?P<table>\w+)"?', re.IGNORECASE)

BAD_FILE = b"\x00\xff\xfegarbage, not a document\x00" * 10


class FormParser(HTMLParser):
    """The POST forms of a page with their fields, and every element carrying an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # [{"action": str, "fields": {name: {...}}}]
        self.ids = {}  # id -> {"class": str, "text": str}
        self._form = None
        self._select = None
        self._textarea = None
        self._open_ids = []  # stack of (tag, id) whose text we collect

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] = {"class": attrs.get("class") or "", "text": "", "tag": tag}
            self._open_ids.append((tag, attrs["id"]))
        elif self._open_ids:
            self._open_ids.append((tag, None))
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            field = self._form["fields"].setdefault(name, {**attrs, "type": kind, "values": []})
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    field["values"].append(attrs.get("value") or "on")
                field.setdefault("options", []).append(attrs.get("value") or "on")
            else:
                field["values"] = [attrs.get("value") or ""]
        elif tag == "textarea" and name:
            self._textarea = self._form["fields"][name] = {
                **attrs,
                "type": "textarea",
                "values": [""],
            }
        elif tag == "select" and name:
            self._select = self._form["fields"][name] = {
                **attrs,
                "type": "select",
                "values": [],
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["values"].append(value)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea["values"][0].startswith("\n"):
                # The newline right after <textarea> is not part of the value.
                self._textarea["values"][0] = self._textarea["values"][0][1:]
            self._textarea = None
        for i in range(len(self._open_ids) - 1, -1, -1):
            if self._open_ids[i][0] == tag:
                del self._open_ids[i:]
                break

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["values"][0] += data
        for _tag, open_id in self._open_ids:
            if open_id:
                self.ids[open_id]["text"] += data


def parse(response):
    parser = FormParser()
    parser.feed(response.content.decode())
    return parser


def post_urls(resolver=None, namespace=""):
    """URL names whose (class-based) view has a ``post`` method, from the resolver."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from post_urls(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = getattr(pattern.callback, "view_class", None)
            if view is None:
                # A function view: set_language is the only one that takes POST.
                if pattern.callback.__name__ == "set_language":
                    yield f"{namespace}{pattern.name}"
            elif hasattr(view, "post") and "post" in view.http_method_names:
                yield f"{namespace}{pattern.name}"


POST_URLS = sorted(set(post_urls()))


def poster(name):
    _build, expected = MATRIX[name]
    for user in POSTERS:
        if expected.get(user) in (200, 405, 302):
            return user
    raise AssertionError(f"{name}: nobody may post to it")


def test_every_post_url_is_covered():
    assert "people:person-create" in POST_URLS and "registers:register-edit" in POST_URLS
    missing = [name for name in POST_URLS if name not in MATRIX]
    assert not missing, f"POST URLs without a row in the MATRIX: {missing}"
    for name in POST_URLS:
        poster(name)  # somebody may post to each


def fingerprint():
    """Every row of the portal's own tables (small in the test world)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in NOT_DATA or model._meta.proxy:
            continue
        if model._meta.label in NOT_DATA_MODELS:
            continue
        rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


def not_data_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in NOT_DATA
    }


def may_change_data(sql: str, quiet_tables: set[str]) -> bool:
    if READ_OR_SAVEPOINT.match(sql):
        return False
    write = WRITE.match(sql)
    return not (write and write["table"] in quiet_tables)


def spoilt_values(name, field, world):
    """Bad values for one field of a form, by the widget's type and name."""
    kind = field["type"]
    if name == "csrfmiddlewaretoken" or kind in ("submit", "button", "reset"):
        return []
    if name == "version" or name.endswith("-version"):
        current = field["values"][0] if field["values"] else ""
        stale = [str(int(current) - 1)] if current.isdigit() and int(current) > 0 else []
        return ["abc", *stale]
    if kind == "file":
        return [
            SimpleUploadedFile("documento.pdf", BAD_FILE, content_type="application/pdf"),
            SimpleUploadedFile("virus.exe", BAD_FILE, content_type="application/octet-stream"),
        ]
    if kind == "number" or "hours" in name or "amount" in name or "ore" == name:
        return ["abc", "-5", "1e999"]
    if kind == "date" or re.search(r"(date|_on|^since|^until|_from|_to|day)$", name):
        return ["31/02/2025", "abc", "2025-13-45"]
    if kind == "time" or name.endswith("time"):
        return ["25:99", "abc"]
    if kind in ("select", "radio"):
        foreign = [
            world.carla.pk,
            world.b_household.pk,
            world.b_session.pk,
            world.b_session.activity_id,
            999999,
            "abc",
        ]
        return [str(v) for v in foreign if str(v) not in field.get("options", [])][:3]
    if kind == "checkbox":
        return ["forse"] if len(field.get("options", [])) == 1 else ["999999"]
    if kind == "hidden" and field["values"] and field["values"][0].isdigit():
        return ["abc", "999999"]
    if kind in ("hidden",):
        return ["abc"]
    if kind == "password":
        return ["x" * 5000]
    return ["x" * 5000, "<script>alert(1)</script>"]


# Values a form may accept (a long note, markup kept as text, a negative balance): for
# these only "no 500" and "in place if refused" are asserted, not the refusal itself.
def may_be_accepted(name, value, field):
    if "disabled" in field:
        return True  # a disabled field is ignored: the rest of the form may be saved
    if field["type"] == "checkbox" and len(field.get("options", [])) == 1:
        return True  # any value of a lone checkbox means "ticked"
    if not isinstance(value, str):
        return False
    if value == "-5":
        return not re.search(r"hours|ore|minutes|amount|participants|count", name)
    return value.startswith("x" * 100) or value.startswith("<script>")


def base_payload(form):
    data = {}
    for name, field in form["fields"].items():
        if field["type"] in ("submit", "button", "reset", "file"):
            continue
        if field["type"] == "checkbox" and len(field.get("options", [])) > 1:
            # Tick every box of a group (everyone present in a register): then every
            # row's own fields (the hours) count.
            data[name] = field["options"]
        elif field["values"]:
            data[name] = field["values"] if len(field["values"]) > 1 else field["values"][0]
    return data


def fill(value, world):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return str(getattr(world, value[1:-1]).pk)
    return value


def check_refusal(client, url, data, world, label, typed=None, must_refuse=True):
    """Post ``data`` inside a savepoint rolled back afterwards; return the response.

    The rows are compared only when the post ran a statement that may change one (most
    refused posts only read): then the rows after the post are compared with the rows
    after the rollback, which are those before it."""
    quiet_tables, writes = not_data_tables(), []

    def record(execute, sql, params, many, context):
        if may_change_data(sql, quiet_tables):
            writes.append(sql)
        return execute(sql, params, many, context)

    with transaction.atomic():
        with connection.execute_wrapper(record):
            response = client.post(url, data)
        after = fingerprint() if writes else None
        transaction.set_rollback(True)
    saved = after is not None and after != fingerprint()
    status = response.status_code
    assert status < 500, (label, status)
    if must_refuse:
        assert not saved, f"{label}: answered {status} and saved the data"
    if status == 200 and "text/html" in response.get("Content-Type", ""):
        assert not saved, f"{label}: a refused form saved something"
        check_errors_in_place(response, label, typed)
    elif status >= 400:
        assert not saved, f"{label}: {status} but something was saved"
    return response


def check_errors_in_place(response, label, typed):
    """Each field error: Italian, in an element the input points to with
    aria-describedby, and the input keeps what was typed."""
    form = (response.context or {}).get("form") if response.context else None
    page = parse(response)
    if form is None or not hasattr(form, "errors"):
        return
    fields = {}
    for f in page.forms:
        fields.update(f["fields"])
    for field_name, errors in form.errors.items():
        for error in errors:
            assert not ENGLISH.search(str(error)), f"{label}: English message {error!r}"
        if field_name == "__all__":
            text = html.unescape(response.content.decode())
            for error in errors:
                assert _visible(error) in _visible(text), f"{label}: {error!r} not shown"
            continue
        html_name = form.add_prefix(field_name)
        field = fields.get(html_name)
        if field is None:  # e.g. a hidden or a widget split in parts
            continue
        assert field["type"] != "hidden", f"{label}: error on hidden {html_name} not moved up"
        described = (field.get("aria-describedby") or "").split()
        own = f"id_{html_name}_error"  # crispy's feedback block; for a group, on the fieldset
        group = field["type"] in ("radio", "checkbox") and len(field.get("options", [])) > 1
        if not group:
            assert field.get("aria-invalid") == "true", f"{label}: {html_name} not invalid"
            assert own in described, (
                f"{label}: {html_name} does not point to its error (aria-describedby={described})"
            )
        feedback = page.ids.get(own)
        assert feedback and "invalid-feedback" in feedback["class"], (
            f"{label}: no feedback block next to {html_name}"
        )
        for error in errors:
            assert _visible(error) in _visible(feedback["text"]), (
                f"{label}: error {error!r} of {html_name} is not next to the field"
            )
    if typed:
        name, value = typed
        field = fields.get(name)
        if field is not None and field["type"] == "hidden" and _invalid(form, name, value):
            # A tampered hidden value (version, token) that the form itself refuses: the
            # refusal says so above the form, where the user can read it.
            top = form.non_field_errors()
            assert top, f"{label}: hidden {name} refused without a message"
            text = _visible(html.unescape(response.content.decode()))
            for error in top:
                assert _visible(error) in text, f"{label}: {error!r} not shown"
        if field is not None and field["type"] not in (
            "password",
            "file",
            "select",
            "radio",
            "checkbox",
            "hidden",
        ):
            assert value in field["values"], f"{label}: {name} lost what was typed"


def _invalid(form, name, value) -> bool:
    field = form.fields.get(form.add_prefix(name)) or form.fields.get(name)
    if field is None:
        return False
    try:
        field.clean(value)
    except ValidationError:
        return True
    return False


def _visible(text):
    return " ".join(str(text).split())


@pytest.mark.parametrize("name", [name for name in POST_URLS if name in MATRIX])
def test_bad_input_is_refused_in_italian_next_to_the_field(client, full_world, name):
    w = full_world
    user = poster(name)
    build, _expected = MATRIX[name]
    url = reverse(name, kwargs=build(w))
    if user != "anonymous":
        client.force_login(getattr(w, user))
    label = f"{name} as {user}"

    if name in POST_ONLY_PAYLOADS:
        for data in POST_ONLY_PAYLOADS[name]:
            data = {k: fill(v, w) for k, v in data.items()}
            check_refusal(client, url, data, w, f"{label}, {data}")
        return
    if name in POST_ONLY_ACCEPTED:
        for data in POST_ONLY_ACCEPTED[name]:
            for _twice in range(2):  # the second time the action is already done
                check_refusal(client, url, data, w, f"{label}, {data}", must_refuse=False)
        return
    if name == "password_reset_confirm":
        # A valid link: Django swaps the token for a session key and redirects.
        uid = urlsafe_base64_encode(force_bytes(w.alice.pk))
        token = default_token_generator.make_token(w.alice)
        response = client.get(reverse(name, args=[uid, token]), follow=True)
        url = response.redirect_chain[-1][0]

    check_refusal(client, url, {}, w, f"{label}, empty body")
    response = client.get(url)
    if name in NO_FORM_ON_GET:
        assert response.status_code == 302, (label, response.status_code)
        garbage = {"version": "abc", "token": "x" * 5000, "file": BAD_FILE.decode("latin-1")}
        check_refusal(client, url, garbage, w, f"{label}, garbage", must_refuse=False)
        return
    assert response.status_code == 200, (label, response.status_code)
    forms = [f for f in parse(response).forms if f["action"] in ("", url)]
    assert forms, f"{label}: no POST form on the page"
    form = max(forms, key=lambda f: len(f["fields"]))
    base = base_payload(form)
    for field_name, field in form["fields"].items():
        for bad in spoilt_values(field_name, field, w):
            data = {**base, field_name: bad}
            shown = bad if isinstance(bad, str) else bad.name
            typed = (field_name, bad) if isinstance(bad, str) else None
            if not isinstance(bad, str):
                bad.seek(0)
            check_refusal(
                client,
                url,
                data,
                w,
                f"{label}, {field_name}={shown[:20]!r}",
                typed,
                must_refuse=not may_be_accepted(field_name, bad, field),
            )
