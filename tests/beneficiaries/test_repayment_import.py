"""Importing repayment-plan payments from XLSX (issue 15): preview, all or nothing, the
problems of each row."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.imports.engine import ImportRefused, run_import
from beneficiaries.imports.registry import IMPORTERS
from beneficiaries.imports.repayments import COLUMNS
from beneficiaries.repayments.models import RepaymentPayment
from tests import repayment_builders as repay
from tests.beneficiaries.test_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
KIND = "pagamenti-piani-di-rientro"
HEADER = [str(c.header) for c in COLUMNS]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.IMPORT_PRIVATE_DIR = tmp_path / "imports"


def row(**cells):
    return {
        "Codice nucleo": "VAL-001",
        "Data del pagamento": "15/02/2019",
        "Canale": "Bonifico",
        "Importo versato (€)": "100",
        **cells,
    }


def run(world, rows, user=None):
    importer = IMPORTERS[KIND](project=world.a, actor=user or world.sofia)
    return run_import(importer, xlsx_bytes(rows, HEADER))


def test_preview_then_confirm_saves_every_payment(client, world):
    plan = repay.plan(world)
    data = xlsx_bytes(
        [
            row(),
            row(
                **{
                    "Canale": "Ore di lavoro comunitario",
                    "Importo versato (€)": None,
                    "Ore di lavoro comunitario": "7,5",
                    "Data del pagamento": "20/02/2019",
                }
            ),
        ],
        HEADER,
    )
    client.force_login(world.sofia)
    response = client.post(
        reverse("imports:import-start", args=["valle"]),
        {"kind": KIND, "file": SimpleUploadedFile("pagamenti.xlsx", data)},
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "VAL-001 – 15/02/2019" in html
    assert not plan.payments.exists()  # the preview writes nothing
    token = re.search(r'name="t" value="([^"]+)"', html).group(1)
    assert client.post(response["Location"].split("?")[0], {"t": token}).status_code == 302
    assert sorted(plan.payments.values_list("value", flat=True)) == [D("75.00"), D("100.00")]


D = Decimal


def test_one_bad_row_saves_nothing_and_says_why(world):
    plan = repay.plan(world)
    repay.plan(world, project=world.b)
    future = (dt.date.today() + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    rows = [
        row(),
        row(**{"Data del pagamento": future}),
        row(**{"Codice nucleo": "BOR-001"}),  # Borgo's plan: not reachable from Valle
        row(**{"Canale": "assegno"}),
        row(**{"Ore di lavoro comunitario": "3"}),  # hours with a bank transfer
        row(),  # the first row again
    ]
    with pytest.raises(ImportRefused) as caught:
        run(world, rows)
    problems = {r.number: " ".join(r.problems) for r in caught.value.preview.rows}
    assert problems[2] == ""
    assert "futuro" in problems[3]
    assert "BOR-001" in problems[4]
    assert "valori ammessi" in problems[5]
    assert "Ore di lavoro comunitario" in problems[6]
    assert "ripetuto" in problems[7]
    assert not plan.payments.exists()
    assert not RepaymentPayment.objects.exists()


def test_a_payment_already_recorded_is_flagged(world):
    plan = repay.plan(world)
    run(world, [row()])
    with pytest.raises(ImportRefused) as caught:
        run(world, [row()])
    assert "già registrato" in caught.value.preview.rows[0].problems[0]
    assert plan.payments.count() == 1
