"""The register of processing and the DPIA draft (docs/dpia.md) are generated from the
models and the declarations of each app's privacy.py: a field of beneficiaries or
partners that the register does not describe fails here, and so does a docs/dpia.md that
is not what ``manage.py privacy_register`` writes."""

import dataclasses
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from beneficiaries.privacy import REGISTER as BENEFICIARIES
from reporting.privacy_register import register, roles_with, unclassified

DPIA = Path(__file__).resolve().parents[2] / "docs" / "dpia.md"


def test_every_field_of_beneficiaries_and_partners_is_described():
    assert unclassified() == [], "describe them in the app's privacy.py"


def test_a_field_the_register_does_not_describe_is_reported():
    records = register()
    person = records["beneficiaries.Person"]
    records["beneficiaries.Person"] = dataclasses.replace(
        person, personal=tuple(f for f in person.personal if f != "email")
    )
    del records["beneficiaries.CaseNote"]
    records["beneficiaries.Consent"] = dataclasses.replace(
        records["beneficiaries.Consent"], special=("religion",)
    )
    problems = unclassified(records)
    assert "beneficiaries.Person.email" in problems
    assert {"beneficiaries.CaseNote.text", "beneficiaries.CaseNote.date"} <= set(problems)
    assert "beneficiaries.Consent.religion (non esiste)" in problems


def test_docs_dpia_is_what_the_command_writes():
    out = StringIO()
    call_command("privacy_register", stdout=out)
    assert out.getvalue() == DPIA.read_text(encoding="utf-8"), (
        "run: .venv/bin/python manage.py privacy_register --write docs/dpia.md"
    )


def test_the_register_names_the_special_data_where_they_are_stored_and_who_sees_them():
    text = DPIA.read_text(encoding="utf-8")
    for needle in (
        "| nota del diario sociale | nota (`text`) | `beneficiaries_casenote` |",
        "fascia ISEE",
        "`beneficiaries_casenote`",
        "`beneficiaries_historicalperson`",
        "manage.py apply_retention",
    ):
        assert needle in text, needle


def test_no_person_data_reaches_the_region_nor_special_data_a_partner():
    for label, record in BENEFICIARIES.items():
        if record.personal:
            assert "funzionario regionale" not in roles_with(record.seen_with), label
        if record.special:
            seen = roles_with(record.special_seen_with)
            assert "funzionario regionale" not in seen, label
            if label not in {
                "beneficiaries.RepaymentPlan",
                "beneficiaries.RepaymentInstalment",
                "beneficiaries.RepaymentPayment",
            }:
                assert "operatore di ente partner" not in seen, label
