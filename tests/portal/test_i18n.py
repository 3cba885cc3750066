"""The interface in English: a complete catalogue, no Italian left on any page a role
can reach, and dates still written dd/mm/yyyy.

The pages come from the URL matrix of test_authorization (every URL of the resolver,
with the users allowed to open it); the language is chosen the way the language switch
does it, with Django's ``django_language`` cookie read by LocaleMiddleware.
"""

import ast
import datetime as dt
import html
import io
import re
import unicodedata
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from tests.portal.test_authorization import MATRIX, USERS

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def read_catalogue(path=CATALOGUE):
    """The entries of a .po file: msgid, msgid_plural, msgstr list and flags."""
    entries, entry, field = [], None, None

    def close():
        if entry and entry["msgid"] is not None:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip() or line.startswith("#~"):
            close()
            entry, field = None, None
            continue
        if entry is None:
            entry = {
                "msgctxt": None,
                "msgid": None,
                "msgid_plural": None,
                "msgstr": {},
                "flags": set(),
            }
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                field = int(keyword[7:-1]) if "[" in keyword else 0
                entry["msgstr"][field] = value
            else:
                field = keyword
                entry[field] = value
    return [e for e in entries if e["msgid"] != ""]


def test_catalogue_is_complete_and_compiled():
    entries = read_catalogue()
    assert len(entries) > 1000  # the whole interface, not a sample
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    wrong_plurals = [e["msgid"] for e in entries if e["msgid_plural"] and len(e["msgstr"]) != 2]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    assert not empty, f"untranslated entries: {empty[:10]}"
    assert not wrong_plurals, wrong_plurals
    # The compiled .mo answers with the .po's translations (it was recompiled).
    with translation.override("en"):
        stale = [
            e["msgid"]
            for e in entries
            if e["msgid_plural"] is None
            and (
                translation.pgettext(e["msgctxt"], e["msgid"])
                if e["msgctxt"]
                else translation.gettext(e["msgid"])
            )
            != e["msgstr"][0]
        ]
        plural = next(e for e in entries if e["msgid_plural"] and not e["msgctxt"])
        assert (
            translation.ngettext(plural["msgid"], plural["msgid_plural"], 2)
            == (plural["msgstr"][1])
        )
    assert not stale, f"django.mo is older than django.po: {stale[:5]}"


def test_placeholders_are_kept():
    """Every %(name)s of the Italian text is in the English one, and nothing else."""
    placeholder = re.compile(r"%\(\w+\)[-.\d]*[sdf]|\{\w*\}")
    bad = []
    for e in read_catalogue():
        sources = [e["msgid"], e["msgid_plural"] or e["msgid"]]
        for n, text in e["msgstr"].items():
            source = sources[min(n, 1)]
            if sorted(placeholder.findall(source)) != sorted(placeholder.findall(text)):
                # A singular may write "1" instead of %(n)s; the plural may not.
                if not (e["msgid_plural"] and n == 0):
                    bad.append(e["msgid"])
    assert not bad, bad[:10]


# --- every page in English -------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[-.\d]*[sdf]|%%")


def italian_phrases():
    """Italian texts of the catalogue that English pages must not show: msgids (and
    the literal parts between placeholders) of at least two words whose translation
    differs. Italian kept on purpose in English ("tax code (codice fiscale)") is not
    looked for."""
    phrases = set()
    entries = read_catalogue()
    english = " | ".join(text for e in entries for text in e["msgstr"].values())
    for e in entries:
        sources = [e["msgid"]] + ([e["msgid_plural"]] if e["msgid_plural"] else [])
        if all(source == e["msgstr"].get(0) for source in sources):
            continue
        for source in sources:
            for part in PLACEHOLDER.split(source):
                part = " ".join(part.split()).strip(" ,.:;()–-")
                # Two words or more, in words (not codes such as "FSE 2014-2020",
                # which project data also contain).
                words = re.findall(r"[^\W\d_]{2,}", part)
                if len(part.split()) >= 2 and len(words) >= 2 and part not in english:
                    phrases.add(part)
    return phrases


def xlsx_shown(cell):
    """A spreadsheet cell as a person sees it: a date cell in its number format."""
    if isinstance(cell.value, dt.date):
        if cell.number_format.upper().startswith("DD/MM/YYYY"):
            return cell.value.strftime("%d/%m/%Y")
        return cell.value.strftime("%Y-%m-%d")  # shown the ISO way: caught below
    return str(cell.value)


def visible_text(response):
    """What a person reads in a response: HTML without tags, PDF, CSV or XLSX text,
    whitespace collapsed."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response) if response.streaming else response.content
    if content_type.startswith("text/html"):
        text = body.decode()
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        # Attributes people read (labels for screen readers, tooltips, placeholders).
        attributes = re.findall(
            r'(?:aria-label|title|placeholder|alt|data-confirm)="([^"]*)"', text
        )
        text = re.sub(r"<[^>]+>", " ", text) + " " + " ".join(attributes)
        text = html.unescape(text)
    elif content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        text = " ".join(page.extract_text() or "" for page in reader.pages)
    elif content_type.startswith("text/csv"):
        text = body.decode("utf-8-sig")
    elif "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        text = " ".join(
            xlsx_shown(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        )
    else:
        return None
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return " ".join(text.split())


# Uploaded files are the user's own documents, not the interface.
NOT_INTERFACE = {
    "labs:session-evidence",
    "budget:expense-document",
    "reporting:report-pdf",
    "governance:meeting-minutes",
}

# Generated documents and exports are checked too: a PDF or a spreadsheet is part of
# the interface.
GENERATED_DOCUMENTS = {
    "labs:session-register-pdf",
    "budget:timesheet-pdf",
    "people:person-record-pdf",
    "households:household-record-pdf",
    "people:person-export",
    "budget:budget-export",
}

# A date written the English way, "Nov. 23, 2026", "May 6, 2019", "2019-05-06",
# "05/06/2019" is ambiguous, so only month names and ISO dates are looked for.
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|"
    "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
ENGLISH_DATE = re.compile(rf"\b(?:{MONTHS})\.? \d{{1,2}}, \d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b")


def english_pages(client, world, user):
    """(url name, response, text) of every page and document the user may open."""
    client.logout()
    if user != "anonymous":
        client.force_login(getattr(world, user))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name in sorted(MATRIX):
        build, expected = MATRIX[name]
        if expected[user] != 200 or name in NOT_INTERFACE:
            continue
        url = reverse(name, kwargs=build(world))
        response = client.get(url)
        assert response.status_code == 200, (name, user, response.status_code)
        text = visible_text(response)
        if text is not None:
            yield name, response, text


@pytest.mark.parametrize("user", USERS)
def test_every_page_is_in_english(client, full_world, user):
    phrases = italian_phrases()
    seen, italian, english_dates, documents = 0, [], [], set()
    for name, response, text in english_pages(client, full_world, user):
        seen += 1
        if not response["Content-Type"].startswith("text/html"):
            documents.add(name)
        else:
            assert '<html lang="en">' in response.content.decode(), (name, user)
        italian += [(name, phrase) for phrase in phrases if phrase in text]
        english_dates += [(name, m) for m in ENGLISH_DATE.findall(text)]
    assert seen, user
    assert not italian, f"Italian text on English pages for {user}: {sorted(italian)[:20]}"
    assert not english_dates, f"dates not dd/mm/yyyy for {user}: {english_dates[:10]}"
    if user == "alice":  # the project lead opens every generated document
        assert documents >= GENERATED_DOCUMENTS - {"people:person-export"}, documents


def _session_url(w):
    return reverse("labs:session-detail", kwargs={"project": "valle", "pk": w.session.pk})


def _get(client, user, url, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return visible_text(response)


def test_known_strings_appear_in_english(client, full_world):
    w = full_world
    home = _get(client, w.alice, reverse("home"))
    assert "My projects" in home and "Sign out" in home and "I miei progetti" not in home
    dashboard = _get(client, w.alice, reverse("reporting:dashboard", kwargs={"project": "valle"}))
    assert "Targets and results achieved" in dashboard
    session = _get(client, w.sofia, _session_url(w))
    assert "Attendance register" in session or "Fill in the register" in session
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login = visible_text(client.get(reverse("login")))
    assert "Sign in to Quartieri" in login and "Accedi a Quartieri" not in login
    # Italian stays the default: without the cookie the same page is in Italian.
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert "Accedi a Quartieri" in visible_text(client.get(reverse("login")))


def test_set_language_switches_to_english(client, full_world):
    client.force_login(full_world.alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "My projects" in visible_text(client.get(reverse("home")))


def test_form_errors_are_in_english(client, full_world):
    client.force_login(full_world.sofia)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("people:person-create", kwargs={"project": "valle"})
    response = client.post(
        url,
        {
            "first_name": "Anna",
            "last_name": "Verdi",
            "birth_date": "1990-01-01",
            "sex": "F",
            "tax_code": "VRDNNA",
        },
    )
    text = visible_text(response)
    assert response.status_code == 200
    assert "A person's tax code (codice fiscale) has 16 characters (6 were entered)." in text
    assert not [p for p in italian_phrases() if p in text]


def test_dates_are_dd_mm_yyyy_in_english(client, full_world):
    w = full_world
    with translation.override("en"):
        assert formats.date_format(dt.date(2019, 5, 6)) == "06/05/2019"
        assert formats.date_format(dt.date(2019, 5, 6), "SHORT_DATE_FORMAT") == "06/05/2019"
        # Month names are Django's: no msgid of ours ("mar", Tuesday) shadows them.
        assert formats.date_format(dt.date(2019, 3, 6), "M Y") == "Mar 2019"
        assert formats.date_format(dt.date(2019, 3, 6), "l") == "Wednesday"
        # Typed dates are read day first too.
        assert forms.DateField().clean("06/05/2019") == dt.date(2019, 5, 6)
    session = _get(client, w.alice, _session_url(w))
    assert "06/05/2019" in session  # the session of the world fixture, 6 May 2019
    record = _get(
        client,
        w.sofia,
        reverse("people:person-record-pdf", kwargs={"project": "valle", "pk": w.maria.pk}),
    )
    assert "12/04/1975" in record  # Maria's birth date in her PDF record
    assert not ENGLISH_DATE.search(record)
    for fmt in ("csv", "xlsx"):  # exports too
        url = reverse("people:person-export", kwargs={"project": "valle", "fmt": fmt})
        export = _get(client, w.sofia, url)
        assert "12/04/1975" in export and not ENGLISH_DATE.search(export), fmt


# --- every template string marked ------------------------------------------------------

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
# Names and codes that read the same in both languages.
SAME_IN_BOTH = {"Quartieri", "CSV", "XLSX", "PDF", "CUP", "SHA"}


def unmarked_text(source):
    """Words of a template that a person reads but no {% translate %} covers."""
    source = re.sub(r"(?s)\{% *comment *%\}.*?\{% *endcomment *%\}|\{#.*?#\}", " ", source)
    source = re.sub(r"(?s)\{% *blocktrans(late)?\b.*?\{% *endblocktrans(late)? *%\}", " ", source)
    source = re.sub(r"(?s)\{%.*?%\}|\{\{.*?\}\}", " ", source)
    source = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", source)
    read = re.findall(r'(?:aria-label|title|placeholder|alt|data-confirm)="([^"]*)"', source)
    read += re.sub(r"(?s)<[^>]+>", " ", source).split("\n")
    words = []
    for text in read:
        text = html.unescape(text)
        words += [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in SAME_IN_BOTH]
    return words


def test_every_template_string_is_marked_for_translation():
    unmarked = {}
    paths = [*TEMPLATES_DIR.rglob("*.html"), *TEMPLATES_DIR.rglob("*.txt")]
    for path in sorted(paths):
        words = unmarked_text(path.read_text(encoding="utf-8"))
        if words:
            unmarked[str(path.relative_to(TEMPLATES_DIR))] = words[:8]
    assert not unmarked, f"text outside {{% translate %}}: {unmarked}"


def test_the_template_check_finds_unmarked_text():
    assert unmarked_text('<p>{% translate "Salva" %}</p><h1 title="Chiudi">Elenco</h1>') == [
        "Chiudi",
        "Elenco",
    ]
    assert unmarked_text("<p>{% blocktranslate %}Ciao {{ n }}{% endblocktranslate %}</p>") == []


def test_password_reset_mail_is_in_english(client, full_world, mailoutbox):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("password_reset"), {"email": full_world.alice.email})
    (mail,) = mailoutbox
    assert mail.subject == "Quartieri: new password"
    assert mail.body.startswith("Hello,") and "Buongiorno" not in mail.body
    assert not [p for p in italian_phrases() if p in " ".join(mail.body.split())]


def test_error_pages_follow_the_language(client, full_world):
    client.force_login(full_world.alice)
    missing = "/progetti/valle/nessuna-pagina/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(missing)
    assert response.status_code == 404
    assert "Page not found" in visible_text(response)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    assert "Pagina non trovata" in visible_text(client.get(missing))


def test_access_log_reads_in_english(client, full_world):
    w = full_world
    person = reverse("people:person-detail", kwargs={"project": "valle", "pk": w.maria.pk})
    _get(client, w.sofia, person)  # logged as an access to sensitive data
    log = _get(client, w.alice, reverse("reporting:audit-log", kwargs={"project": "valle"}))
    assert "personal record" in log and "scheda persona" not in log


def test_import_templates_read_in_either_language():
    """A template downloaded in Italian is accepted from the English interface, and the
    other way round: headers are matched in every language of the portal."""
    from beneficiaries.imports.attendance import COLUMNS, AttendanceImporter

    importer = AttendanceImporter(project=None, actor=None)
    every_column = {c.key for c in COLUMNS}
    for written, read in (("it", "en"), ("en", "it")):
        with translation.override(written):
            header = [str(c.header) for c in COLUMNS]
        with translation.override(read):
            assert set(importer.map_header(header)) == every_column, (written, read)
    with translation.override("en"):
        assert "Session date" in [str(c.header) for c in COLUMNS]
