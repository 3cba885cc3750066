"""Payments of repayment plans (piani di rientro): one row per payment in cash or per
block of community-work hours. The plan is found by the household code (and the date of
its first instalment when the household has more than one plan)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs import access

from ..repayments import services as repayments
from ..repayments.models import RepaymentPayment, RepaymentPlan
from .engine import (
    Column,
    Importer,
    Row,
    RowProblem,
    key,
    messages_of,
    parse_choice,
    parse_date,
    parse_decimal,
    text,
)

C = Column
COLUMNS = [
    C("household", gettext_lazy("Codice nucleo"), True, gettext_lazy("Come nel portale")),
    C(
        "plan_start",
        gettext_lazy("Prima rata del piano"),
        False,
        gettext_lazy("gg/mm/aaaa, solo se il nucleo ha più di un piano di rientro"),
    ),
    C("paid_on", gettext_lazy("Data del pagamento"), True, gettext_lazy("gg/mm/aaaa")),
    C(
        "channel",
        gettext_lazy("Canale"),
        True,
        gettext_lazy(
            "Bonifico; Bollettino / PagoPA; Allo sportello (contanti o POS); "
            "Ore di lavoro comunitario"
        ),
    ),
    C("amount", gettext_lazy("Importo versato (€)"), False, gettext_lazy("es. 120,50")),
    C(
        "hours",
        gettext_lazy("Ore di lavoro comunitario"),
        False,
        gettext_lazy("Solo per il canale ore di lavoro comunitario"),
    ),
    C("notes", gettext_lazy("Note"), False, gettext_lazy("Al massimo 250 caratteri")),
]
LABELS = {c.key: str(c.header) for c in COLUMNS}
FIELD_LABELS = {
    "paid_on": LABELS["paid_on"],
    "channel": LABELS["channel"],
    "amount": LABELS["amount"],
    "hours": LABELS["hours"],
}


class RepaymentPaymentImporter(Importer):
    kind = "pagamenti-piani-di-rientro"
    capability = "repayments.change"
    title = gettext_lazy("Pagamenti dei piani di rientro")
    sheet_help = gettext_lazy(
        "Una riga per pagamento o per blocco di ore di lavoro comunitario. Il piano deve "
        "essere già nel portale; le ore valgono la tariffa oraria del piano. Un pagamento "
        "identico già registrato (stesso piano, data, canale e importo o ore) è segnalato."
    )
    columns = COLUMNS

    def check(self, rows: list[Row]) -> dict:
        plans: dict[str, list[RepaymentPlan]] = {}
        scoped = access.scoped(RepaymentPlan, self.actor, self.project).select_related("household")
        for plan in scoped:
            plans.setdefault(key(plan.household.code), []).append(plan)
        existing = set(
            access.scoped(RepaymentPayment, self.actor, self.project).values_list(
                "plan_id", "paid_on", "channel", "amount", "hours"
            )
        )
        seen: dict[tuple, int] = {}
        for row in rows:
            c = row.cells
            for name in ("household", "paid_on", "channel"):
                try:
                    self.required(row, name)
                except RowProblem as error:
                    row.problems.append(str(error))
            values = {}
            for name, parse in (
                ("paid_on", parse_date),
                ("plan_start", parse_date),
                ("amount", parse_decimal),
                ("hours", parse_decimal),
                ("channel", lambda v: parse_choice(v, RepaymentPayment.Channel.choices)),
            ):
                try:
                    values[name] = parse(c.get(name))
                except RowProblem as error:
                    row.problems.append(f"{LABELS[name]}: {error}")
                    values[name] = None
            notes = text(c.get("notes"))
            if len(notes) > 250:
                row.problems.append(
                    _("%(col)s: al massimo 250 caratteri.") % {"col": LABELS["notes"]}
                )
            code = text(c.get("household"))
            day = values["paid_on"]
            row.label = f"{code} – {day:%d/%m/%Y}" if day else code
            found = plans.get(key(code), []) if code else []
            if values["plan_start"]:
                found = [p for p in found if p.start_date == values["plan_start"]]
            plan = None
            if code and not found:
                row.problems.append(
                    _("Nucleo %(code)s: nessun piano di rientro che si possa aggiornare.")
                    % {"code": code}
                )
            elif len(found) > 1:
                row.problems.append(
                    _("Il nucleo ha più piani di rientro: indicare la prima rata del piano.")
                )
            elif found:
                plan = found[0]
            if plan is None or row.problems:
                continue
            try:
                value = repayments.check_payment(
                    plan,
                    paid_on=day,
                    channel=values["channel"],
                    amount=values["amount"],
                    hours=values["hours"],
                )
            except ValidationError as error:
                row.problems.extend(messages_of(error, FIELD_LABELS))
                continue
            identity = (plan.pk, day, values["channel"], values["amount"], values["hours"])
            if identity in existing:
                row.problems.append(_("Pagamento già registrato nel portale."))
            elif identity in seen:
                row.problems.append(
                    _("Pagamento ripetuto nel file (già alla riga %(n)d).") % {"n": seen[identity]}
                )
            seen.setdefault(identity, row.number)
            row.action = "create"
            row.data = {
                "plan": plan,
                "paid_on": day,
                "channel": values["channel"],
                "amount": values["amount"],
                "hours": values["hours"],
                "value": value,
                "notes": notes,
            }
        return {}

    def save(self, rows: list[Row], state: dict) -> None:
        for row in rows:
            d = dict(row.data)
            d.pop("value")
            repayments.payment_record(actor=self.actor, **d)
