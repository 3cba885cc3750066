"""Writes and reads on money: budget lines, expenses, staff, time sheets, and budget
against spending.

Keyword-only, atomic, validated with ``full_clean``. A change the rules refuse raises
``BudgetError`` whose message is for the user. Every amount is a Decimal.

Spending from other apps (the participation allowances paid, in ``beneficiaries``) comes
in through ``SPENDING_SOURCES``, which that app fills when it starts: labs never imports
beneficiaries.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from labs import services as lab_services
from labs.budget.models import BudgetLine, CostCategory, Expense, StaffMember, TimesheetEntry, cents
from labs.models import Axis, Partnership, Project, ReportingPeriod

ZERO = Decimal("0.00")
# Expenses that count as spent: presented to the lead, or accepted by them.
SPENT_STATUSES = (Expense.Status.SUBMITTED, Expense.Status.ACCEPTED)
EDITABLE_STATUSES = (Expense.Status.DRAFT, Expense.Status.REJECTED)

# f(project, start, end) -> {(axis_id, organisation_id, category): Decimal}
SPENDING_SOURCES: list[Callable] = []


class BudgetError(Exception):
    """A change the rules refuse; the message is for the user."""


def period_check_open(*, project_id: int, day: dt.date) -> None:
    """Refuse a change to money of a day in a closed reporting period (as for registers)."""
    period = ReportingPeriod.objects.closed_on(project_id, day).first()
    if period is not None:
        raise BudgetError(
            _(
                "Il periodo di rendicontazione «%(period)s» è chiuso: spese e fogli presenze "
                "del %(day)s non si possono più modificare. Solo il responsabile di progetto "
                "può riaprire il periodo."
            )
            % {"period": period.name, "day": day.strftime("%d/%m/%Y")}
        )


def _check_partner(project: Project, organisation_id: int) -> None:
    if not Partnership.objects.filter(project=project, organisation_id=organisation_id).exists():
        raise ValidationError(
            {"organisation": _("L'ente non fa parte del partenariato del progetto.")}
        )


def _check_date(project: Project, day) -> None:
    if day and not project.start_date <= day <= project.end_date:
        raise ValidationError(
            {
                "date": _("La data è fuori dal periodo del progetto (%(start)s – %(end)s).")
                % {
                    "start": project.start_date.strftime("%d/%m/%Y"),
                    "end": project.end_date.strftime("%d/%m/%Y"),
                }
            }
        )


def _check_axis(project: Project, axis: Axis) -> None:
    if axis.project_id != project.pk:
        raise ValidationError({"axis": _("Il sub-progetto appartiene a un altro progetto.")})


# ---- Budget lines --------------------------------------------------------------------


@transaction.atomic
def budget_line_save(*, project: Project, actor, data: dict, line: BudgetLine | None = None):
    """Create or change a budget line of the project."""
    line = line or BudgetLine(project=project)
    for name, value in data.items():
        setattr(line, name, value)
    _check_axis(project, line.axis)
    _check_partner(project, line.organisation_id)
    line.full_clean()
    line.save()
    return line


# ---- Expenses ------------------------------------------------------------------------


def document_file_type(upload) -> str:
    """PDF, JPEG or PNG by its first bytes, within the size limit (as session evidence)."""
    try:
        return lab_services.evidence_file_type(upload)
    except lab_services.SessionError as error:
        raise BudgetError(str(error)) from None


def _attach(expense: Expense, upload) -> None:
    content_type = document_file_type(upload)
    original = PurePath(upload.name).name[:200]
    expense.document_name = original
    expense.document_type = content_type
    expense.full_clean(exclude=["document"])  # before writing the file: no orphan on refusal
    expense.document.save(
        f"{uuid.uuid4().hex}{PurePath(original).suffix.lower()}", upload, save=False
    )


@transaction.atomic
def expense_create(*, project: Project, actor, data: dict, upload=None) -> Expense:
    """Record an expense (a draft) with its document, stored privately under a random name."""
    expense = Expense(project=project, created_by=actor, **data)
    _check_axis(project, expense.axis)
    _check_partner(project, expense.organisation_id)
    _check_date(project, expense.date)
    period_check_open(project_id=project.pk, day=expense.date)
    if upload is not None:
        _attach(expense, upload)
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def expense_update(*, expense: Expense, actor, data: dict, upload=None) -> Expense:
    """Change a draft or rejected expense; the old and new dates must be in open periods."""
    if expense.status not in EDITABLE_STATUSES:
        raise BudgetError(_("Una spesa presentata o accettata non si può più modificare."))
    period_check_open(project_id=expense.project_id, day=expense.date)
    for name, value in data.items():
        setattr(expense, name, value)
    _check_axis(expense.project, expense.axis)
    _check_partner(expense.project, expense.organisation_id)
    _check_date(expense.project, expense.date)
    period_check_open(project_id=expense.project_id, day=expense.date)
    if upload is not None:
        _attach(expense, upload)
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def expense_submit(*, expense: Expense, actor) -> Expense:
    if expense.status not in EDITABLE_STATUSES:
        raise BudgetError(_("La spesa è già stata presentata."))
    period_check_open(project_id=expense.project_id, day=expense.date)
    if not expense.document:
        raise BudgetError(_("Allegare il documento di spesa prima di presentarla."))
    expense.status = Expense.Status.SUBMITTED
    expense.rejection_reason = ""
    expense.save(update_fields=["status", "rejection_reason"])
    return expense


@transaction.atomic
def expense_review(*, expense: Expense, actor, accept: bool, reason: str = "") -> Expense:
    """The project lead accepts a submitted expense, or rejects it with a reason."""
    if expense.status != Expense.Status.SUBMITTED:
        raise BudgetError(_("Si possono esaminare solo le spese presentate."))
    period_check_open(project_id=expense.project_id, day=expense.date)
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Indicare il motivo del rifiuto.")})
    expense.status = Expense.Status.ACCEPTED if accept else Expense.Status.REJECTED
    expense.rejection_reason = "" if accept else reason.strip()
    expense.reviewed_by = actor
    expense.reviewed_at = timezone.now()
    expense.save()
    return expense


# ---- Staff and time sheets -----------------------------------------------------------


COST_FIELDS = (
    "organisation",
    "contract_type",
    "annual_gross_cost",
    "share_percent",
    "contract_annual_hours",
)


@transaction.atomic
def staff_save(*, project: Project, actor, data: dict, staff: StaffMember | None = None):
    """Create or change a staff member. Once their hours fall in a closed period, what
    prices those hours (organisation, contract, cost) no longer changes: the closed
    period's figures would."""
    if staff is not None and staff.pk:
        changed = [f for f in COST_FIELDS if f in data and getattr(staff, f) != data[f]]
        if changed:
            locked = ReportingPeriod.objects.filter(
                project=project,
                closed_at__isnull=False,
                start_date__lte=OuterRef("date"),
                end_date__gte=OuterRef("date"),
            )
            if staff.entries.filter(Exists(locked)).exists():
                raise BudgetError(
                    _(
                        "Le ore di questa persona sono già in un periodo di rendicontazione "
                        "chiuso: ente, contratto e costo non si possono più cambiare. Per un "
                        "nuovo contratto registrare una nuova scheda."
                    )
                )
    staff = staff or StaffMember(project=project)
    for name, value in data.items():
        setattr(staff, name, value)
    _check_partner(project, staff.organisation_id)
    if staff.contract_type != StaffMember.Contract.PART_TIME_FIXED:
        staff.share_percent = None
    if staff.contract_type in (
        StaffMember.Contract.FULL_TIME,
        StaffMember.Contract.PART_TIME_FIXED,
    ):
        staff.contract_annual_hours = None
    staff.full_clean()
    staff.save()
    return staff


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def timesheet_month(staff: StaffMember, year: int, month: int) -> dict:
    """{(axis_id, activity_id or None, day): hours} of a month, in one query."""
    return {
        (e.axis_id, e.activity_id, e.date): e.hours
        for e in TimesheetEntry.objects.filter(staff=staff, date__year=year, date__month=month)
    }


@transaction.atomic
def timesheet_save_month(
    *, staff: StaffMember, actor, year: int, month: int, hours: dict
) -> list[TimesheetEntry]:
    """Replace a month's time sheet with ``hours`` ({(axis_id, activity_id, day): Decimal}).

    Refused, with nothing saved: a changed day in a closed period, a day outside the
    project, more hours in a day than the contract's daily hours, more hours in the
    calendar year than the contract's annual hours."""
    StaffMember.objects.select_for_update().filter(pk=staff.pk).first()  # one save at a time
    project = staff.project
    before = timesheet_month(staff, year, month)
    wanted = {k: Decimal(v) for k, v in hours.items() if v}
    axes = set(project.axes.values_list("pk", flat=True))
    activities = set(project.activities.values_list("pk", flat=True))
    per_day: dict[dt.date, Decimal] = defaultdict(Decimal)
    for (axis_id, activity_id, day), value in wanted.items():
        if axis_id not in axes or (activity_id is not None and activity_id not in activities):
            raise BudgetError(_("Sub-progetto o attività non di questo progetto."))
        if not value.is_finite():
            raise BudgetError(_("Le ore devono essere un numero."))
        if value < 0:
            raise BudgetError(_("Le ore non possono essere negative."))
        if not project.start_date <= day <= project.end_date:
            raise BudgetError(
                _("Il %(day)s è fuori dal periodo del progetto.") % {"day": f"{day:%d/%m/%Y}"}
            )
        per_day[day] += value
    for day, total in sorted(per_day.items()):
        if total > staff.daily_hours:
            raise BudgetError(
                _(
                    "Il %(day)s sono dichiarate %(h)s ore: il contratto ne prevede al massimo "
                    "%(max)s al giorno."
                )
                % {"day": f"{day:%d/%m/%Y}", "h": total, "max": staff.daily_hours}
            )
    changed_days = {k[2] for k in set(before) | set(wanted) if before.get(k) != wanted.get(k)}
    for day in sorted(changed_days):
        period_check_open(project_id=project.pk, day=day)
    other_months = (
        TimesheetEntry.objects.filter(staff=staff, date__year=year)
        .exclude(date__month=month)
        .aggregate(total=Sum("hours"))["total"]
        or ZERO
    )
    year_total = other_months + sum(wanted.values(), ZERO)
    if year_total > staff.annual_hours:
        raise BudgetError(
            _(
                "Con queste ore il %(year)s arriva a %(h)s ore, oltre le %(max)s ore annue del "
                "contratto: le ore in eccesso non si possono dichiarare."
            )
            % {"year": year, "h": year_total, "max": staff.annual_hours.quantize(Decimal("0.01"))}
        )
    TimesheetEntry.objects.filter(staff=staff, date__year=year, date__month=month).delete()
    entries = [
        TimesheetEntry(staff=staff, axis_id=a, activity_id=act, date=day, hours=value)
        for (a, act, day), value in sorted(wanted.items(), key=lambda kv: (kv[0][2], kv[0][0]))
    ]
    for entry in entries:
        entry.full_clean(validate_unique=False)
    return TimesheetEntry.objects.bulk_create(entries)


# ---- Budget against spending ---------------------------------------------------------


def _staff_spending(project: Project, start, end, organisation_id=None) -> dict:
    """Cost of declared hours per (axis, organisation, "staff"): hours summed by the
    database per staff member and sub-project, times that member's hourly rate."""
    entries = TimesheetEntry.objects.filter(staff__project=project)
    if start:
        entries = entries.filter(date__gte=start)
    if end:
        entries = entries.filter(date__lte=end)
    if organisation_id:
        entries = entries.filter(staff__organisation_id=organisation_id)
    rows = entries.values("staff_id", "axis_id").annotate(hours=Sum("hours"))
    staff = {s.pk: s for s in StaffMember.objects.filter(project=project)}
    out: dict = defaultdict(Decimal)
    for row in rows:
        member = staff[row["staff_id"]]
        key = (row["axis_id"], member.organisation_id, CostCategory.STAFF.value)
        out[key] += member.cost_of(row["hours"])
    return out


def _expense_spending(project: Project, start, end, organisation_id=None) -> dict:
    expenses = Expense.objects.filter(project=project, status__in=SPENT_STATUSES)
    if start:
        expenses = expenses.filter(date__gte=start)
    if end:
        expenses = expenses.filter(date__lte=end)
    if organisation_id:
        expenses = expenses.filter(organisation_id=organisation_id)
    return {
        (r["axis_id"], r["organisation_id"], r["category"]): r["total"]
        for r in expenses.values("axis_id", "organisation_id", "category").annotate(
            total=Sum("amount")
        )
    }


def spending(project: Project, start=None, end=None, organisation_id=None) -> dict:
    """{(axis_id, organisation_id, category): Decimal} spent between the dates."""
    out: dict = defaultdict(Decimal)
    sources = [_expense_spending, _staff_spending]
    for source in sources:
        for key, value in source(project, start, end, organisation_id).items():
            out[key] += value
    for source in SPENDING_SOURCES:
        for key, value in source(project, start, end).items():
            if organisation_id is None or key[1] == organisation_id:
                out[key] += value
    return out


def _row(key, label, budget=ZERO, funded=ZERO, spent=ZERO, spent_period=ZERO) -> dict:
    remaining = budget - spent
    percent = (spent * 100 / budget).quantize(Decimal("0.1")) if budget else None
    return {
        "key": key,
        "label": label,
        "budget": str(cents(budget)),
        "funded": str(cents(funded)),
        "cofinanced": str(cents(budget - funded)),
        "spent_period": str(cents(spent_period)),
        "spent": str(cents(spent)),
        "remaining": str(cents(remaining)),
        "percent": None if percent is None else str(percent),
    }


def budget_vs_spending(
    project: Project, period: ReportingPeriod | None = None, organisation_id: int | None = None
) -> dict:
    """Budget against spending per sub-project, partner and category, with totals.

    ``spent`` is everything spent from the project's start to the period's end (to date
    without a period); ``spent_period`` what was spent within the period. Amounts are
    Decimal strings with two places. With ``organisation_id`` only that partner's lines
    and spending (what a partner operator sees)."""
    end = period.end_date if period else None
    start = period.start_date if period else None
    lines = BudgetLine.objects.filter(project=project)
    if organisation_id:
        lines = lines.filter(organisation_id=organisation_id)
    budget = {
        (r["axis_id"], r["organisation_id"], r["category"]): (r["amount"], r["funded"])
        for r in lines.values("axis_id", "organisation_id", "category").annotate(
            amount=Sum("amount"), funded=Sum("funded_amount")
        )
    }
    spent = spending(project, None, end, organisation_id)
    spent_in = spending(project, start, end, organisation_id) if period else spent
    axes = {a.pk: a for a in project.axes.all()}
    organisations = {
        p.organisation_id: p.organisation
        for p in Partnership.objects.filter(project=project).select_related("organisation")
    }
    categories = dict(CostCategory.choices)
    keys = set(budget) | set(spent) | set(spent_in)

    def group(index, order, label):
        sums: dict = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
        for key in keys:
            b, f = budget.get(key, (ZERO, ZERO))
            s = sums[key[index]]
            s[0] += b
            s[1] += f
            s[2] += spent.get(key, ZERO)
            s[3] += spent_in.get(key, ZERO)
        return [_row(str(k), label(k), *sums[k]) for k in sorted(sums, key=order)]

    cat_order = list(categories)
    by_axis = group(0, lambda k: (axes[k].order, axes[k].code), lambda k: str(axes[k]))
    by_partner = group(1, lambda k: str(organisations.get(k, k)), lambda k: str(organisations[k]))
    by_category = group(2, cat_order.index, lambda k: str(categories[k]))
    detail = []
    for key in sorted(
        keys,
        key=lambda k: (
            axes[k[0]].order,
            axes[k[0]].code,
            str(organisations[k[1]]),
            cat_order.index(k[2]),
        ),
    ):
        b, f = budget.get(key, (ZERO, ZERO))
        row = _row(
            f"{key[0]}-{key[1]}-{key[2]}",
            categories[key[2]],
            b,
            f,
            spent.get(key, ZERO),
            spent_in.get(key, ZERO),
        )
        row.update(axis=str(axes[key[0]]), partner=str(organisations[key[1]]))
        detail.append(row)
    t = [ZERO, ZERO, ZERO, ZERO]
    for key in keys:
        b, f = budget.get(key, (ZERO, ZERO))
        t[0] += b
        t[1] += f
        t[2] += spent.get(key, ZERO)
        t[3] += spent_in.get(key, ZERO)
    return {
        "period": (
            {
                "name": getattr(period, "name", ""),
                "start": period.start_date.isoformat(),
                "end": period.end_date.isoformat(),
            }
            if period
            else None
        ),
        "by_axis": by_axis,
        "by_partner": by_partner,
        "by_category": by_category,
        "lines": detail,
        "total": _row("total", _("Totale"), *t),
    }


BUDGET_SHEETS = [
    ("by_axis", "Sub-progetti"),
    ("by_partner", "Enti"),
    ("by_category", "Categorie"),
    ("lines", "Dettaglio"),
]
AMOUNT_COLUMNS = ["budget", "funded", "cofinanced", "spent_period", "spent", "remaining"]


def budget_workbook(data: dict) -> bytes:
    """The same figures as XLSX: one sheet per grouping, amounts as numbers with two
    places (Decimal, never float), text cells neutralised against formulas."""
    import io

    from openpyxl import Workbook

    from labs.exports import safe_cell

    headers = [
        _("Budget"),
        _("Quota finanziata"),
        _("Cofinanziamento"),
        _("Speso nel periodo"),
        _("Speso al termine del periodo"),
        _("Residuo"),
    ]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, title in BUDGET_SHEETS:
        sheet = workbook.create_sheet(title=title)
        lead = [_("Sub-progetto"), _("Ente"), _("Categoria")] if key == "lines" else [_("Voce")]
        sheet.append([str(h) for h in lead + headers])
        rows = data[key] + ([] if key == "lines" else [data["total"]])
        for row in rows:
            first = (
                [row["axis"], row["partner"], row["label"]] if key == "lines" else [row["label"]]
            )
            cells = [safe_cell(str(v)) for v in first] + [Decimal(row[c]) for c in AMOUNT_COLUMNS]
            sheet.append(cells)
            for cell in sheet[sheet.max_row][len(first) :]:
                cell.number_format = "#,##0.00"
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
