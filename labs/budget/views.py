"""Pages of money: budget against spending, budget lines, expenses, staff, time sheets.

A partner operator sees and enters only their organisation's lines, expenses and staff
(``BudgetQuerySet.visible_to``); the project lead sees and reviews all; a regional officer
sees the totals only. Another organisation's object answers 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from labs import access
from labs.budget import selectors, services
from labs.budget.forms import (
    BudgetLineForm,
    ExpenseForm,
    ExpenseReviewForm,
    HoursField,
    StaffForm,
)
from labs.budget.models import BudgetLine, Expense, StaffMember
from labs.models import ReportingPeriod
from labs.scoping import ProjectScopedMixin, private_file_response
from labs.views import RefusalMixin

CHANGE = ("budget.change_own", "budget.change_all")


class BudgetMixin(RefusalMixin, ProjectScopedMixin):
    capability: str | tuple[str, ...] = "budget.view"

    @property
    def organisation_id(self) -> int | None:
        """The partner's organisation, whose rows alone they see; None for the lead."""
        return None if self.can("budget.change_all") else self.grant.organisation_id

    def form_kwargs(self, **kwargs):
        return {"project": self.project, "organisation_id": self.organisation_id, **kwargs}


def _period(project, request) -> ReportingPeriod | None:
    pk = request.GET.get("periodo")
    if not pk or not (pk.isascii() and pk.isdigit()):
        return None
    return access.get_scoped_or_404(ReportingPeriod, request.user, project, pk=pk)


class BudgetOverviewView(BudgetMixin, TemplateView):
    """Budget against spending per sub-project, partner and category."""

    capability = ("budget.view", "budget.view_totals")
    template_name = "labs/budget/overview.html"

    def get_context_data(self, **kwargs):
        period = _period(self.project, self.request)
        detailed = self.can("budget.view")
        organisation_id = self.organisation_id if detailed else None
        context = super().get_context_data(**kwargs)
        context.update(
            period=period,
            periods=self.project.periods.all(),
            data=services.budget_vs_spending(self.project, period, organisation_id),
            detailed=detailed,
            can_change=self.can("budget.change_lines"),
            lines=(
                self.scoped(BudgetLine).select_related("axis", "organisation") if detailed else []
            ),
        )
        return context


class BudgetExportView(BudgetMixin, View):
    capability = ("budget.view", "budget.view_totals")

    def get(self, request, *args, **kwargs):
        period = _period(self.project, request)
        organisation_id = self.organisation_id if self.can("budget.view") else None
        data = services.budget_vs_spending(self.project, period, organisation_id)
        response = HttpResponse(
            services.budget_workbook(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        suffix = f"-{period.start_date:%Y%m%d}" if period else ""
        response["Content-Disposition"] = (
            f'attachment; filename="budget-{self.project.slug}{suffix}.xlsx"'
        )
        return response


class BudgetLineFormView(BudgetMixin, FormView):
    capability = "budget.change_lines"  # the lead only: the budget is the partnership's
    form_class = BudgetLineForm
    template_name = "labs/budget/form.html"
    line = None

    def get_form_kwargs(self):
        if "pk" in self.kwargs:
            self.line = self.get_object(self.scoped(BudgetLine))
        return {**super().get_form_kwargs(), **self.form_kwargs(instance=self.line)}

    def get_context_data(self, **kwargs):
        title = _("Modifica la voce di budget") if self.line else _("Nuova voce di budget")
        return super().get_context_data(title=title, back="budget:budget", **kwargs)

    def form_valid(self, form):
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            services.budget_line_save(
                project=self.project, actor=self.request.user, data=data, line=self.line
            )
        except (ValidationError, services.BudgetError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Voce di budget salvata."))
        return redirect("budget:budget", self.project.slug)


# ---- Expenses ------------------------------------------------------------------------


class ExpenseListView(BudgetMixin, ListView):
    template_name = "labs/budget/expense_list.html"
    context_object_name = "expenses"
    paginate_by = 50

    def get_queryset(self):
        expenses = self.scoped(Expense).select_related("axis", "organisation")
        status = self.request.GET.get("stato")
        if status in Expense.Status.values:
            expenses = expenses.filter(status=status)
        self.total = expenses.aggregate(total=Sum("amount"))["total"]
        return expenses.order_by("-date", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            total=self.total,
            statuses=Expense.Status.choices,
            status=self.request.GET.get("stato", ""),
            can_change=self.can("budget.change_own") or self.can("budget.change_all"),
            can_review=self.can("budget.change_all"),
            **kwargs,
        )


class ExpenseObjectMixin(BudgetMixin):
    model = Expense

    def get_expense(self) -> Expense:
        if not hasattr(self, "_expense"):
            self._expense = self.get_object(self.scoped().select_related("project"))
        return self._expense


class ExpenseFormView(ExpenseObjectMixin, FormView):
    capability = CHANGE
    form_class = ExpenseForm
    template_name = "labs/budget/form.html"

    def get_form_kwargs(self):
        instance = self.get_expense() if "pk" in self.kwargs else None
        return {**super().get_form_kwargs(), **self.form_kwargs(instance=instance)}

    def get_context_data(self, **kwargs):
        title = _("Modifica la spesa") if "pk" in self.kwargs else _("Nuova spesa")
        return super().get_context_data(title=title, back="budget:expense-list", **kwargs)

    def form_valid(self, form):
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        upload = form.cleaned_data.get("upload") or None
        try:
            if "pk" in self.kwargs:
                services.expense_update(
                    expense=self.get_expense(), actor=self.request.user, data=data, upload=upload
                )
            else:
                services.expense_create(
                    project=self.project, actor=self.request.user, data=data, upload=upload
                )
        except (ValidationError, services.BudgetError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Spesa salvata."))
        return redirect("budget:expense-list", self.project.slug)


class ExpenseSubmitView(ExpenseObjectMixin, View):
    capability = CHANGE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.expense_submit(expense=self.get_expense(), actor=request.user)
        except services.BudgetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Spesa presentata al responsabile di progetto."))
        return redirect("budget:expense-list", self.project.slug)


class ExpenseReviewView(ExpenseObjectMixin, FormView):
    capability = "budget.change_all"
    form_class = ExpenseReviewForm
    template_name = "labs/budget/form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Esamina la spesa"),
            expense=self.get_expense(),
            back="budget:expense-list",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.expense_review(
                expense=self.get_expense(),
                actor=self.request.user,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, services.BudgetError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Esito registrato."))
        return redirect("budget:expense-list", self.project.slug)


class ExpenseDocumentView(ExpenseObjectMixin, View):
    """Serves an expense's document only to users who may see the expense (else 404)."""

    def get(self, request, *args, **kwargs):
        expense = self.get_expense()
        return private_file_response(expense.document, expense.document_name)


# ---- Staff and time sheets -----------------------------------------------------------


class StaffListView(BudgetMixin, ListView):
    template_name = "labs/budget/staff_list.html"
    context_object_name = "staff"

    def get_queryset(self):
        year = dt.date.today().year
        return (
            self.scoped(StaffMember)
            .select_related("organisation")
            .annotate(
                hours_total=Sum("entries__hours"),
                hours_year=Sum("entries__hours", filter=Q(entries__date__year=year)),
            )
        )

    def get_context_data(self, **kwargs):
        today = dt.date.today()
        month = min(max(today, self.project.start_date), self.project.end_date)
        context = super().get_context_data(
            can_change=self.can("budget.change_staff"), month=month, **kwargs
        )
        # Cards, not the rows: the pay only where the user may see it.
        user = self.request.user
        context["staff"] = [selectors.staff_card(s, user=user) for s in context["staff"]]
        context.pop("object_list", None)
        context.pop("staffmember_list", None)
        return context


class StaffFormView(BudgetMixin, FormView):
    # The lead, and a partner coordinator for their organisation: the form holds the pay.
    capability = "budget.change_staff"
    form_class = StaffForm
    template_name = "labs/budget/form.html"
    staff = None

    def get_form_kwargs(self):
        if "pk" in self.kwargs:
            self.staff = self.get_object(self.scoped(StaffMember))
        return {**super().get_form_kwargs(), **self.form_kwargs(instance=self.staff)}

    def get_context_data(self, **kwargs):
        title = _("Modifica la scheda") if self.staff else _("Nuova persona del personale")
        return super().get_context_data(title=title, back="budget:staff-list", **kwargs)

    def form_valid(self, form):
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            services.staff_save(
                project=self.project, actor=self.request.user, data=data, staff=self.staff
            )
        except (ValidationError, services.BudgetError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Scheda del personale salvata."))
        return redirect("budget:staff-list", self.project.slug)


def _hours_text(value) -> str:
    """Hours as typed in a cell, Italian style and short: 5, 4,5, 7,25."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return value


HOURS = HoursField(required=False)


def _hours(text) -> Decimal:
    """A cell's hours for the totals; what is not valid hours (typed and refused) counts 0."""
    try:
        return HOURS.clean(text) or Decimal("0")
    except ValidationError:
        return Decimal("0")


class TimesheetMixin(BudgetMixin):
    model = StaffMember

    def setup_month(self):
        self.staff = self.get_object(self.scoped(StaffMember).select_related("organisation"))
        try:
            self.first = dt.date(self.kwargs["year"], self.kwargs["month"], 1)
        except ValueError:
            raise Http404 from None
        self.card = selectors.staff_card(self.staff, user=self.request.user)
        self.days = services.month_days(self.first.year, self.first.month)
        # Rows: every activity the staff member's organisation runs, then "other work" on
        # each sub-project.
        activities = self.project.activities.filter(
            organisation_id=self.staff.organisation_id
        ).select_related("axis")
        self.rows = [(a.axis_id, a.pk, a.axis.code, a.name) for a in activities] + [
            (axis.pk, None, axis.code, _("Altre attività del sub-progetto"))
            for axis in self.project.axes.all()
        ]

    def grid(self, values: dict):
        in_project = {d: self.project.start_date <= d <= self.project.end_date for d in self.days}
        rows = []
        for axis_id, activity_id, code, label in self.rows:
            cells = [
                {
                    "name": f"h-{axis_id}-{activity_id or 0}-{d.day}",
                    "day": d,
                    "value": _hours_text(values.get((axis_id, activity_id, d), "")),
                    "enabled": in_project[d],
                }
                for d in self.days
            ]
            total = sum((_hours(c["value"]) for c in cells), Decimal("0"))
            rows.append({"code": code, "label": label, "cells": cells, "total": total})
        totals = [
            sum(
                (_hours(r["cells"][i]["value"]) for r in rows),
                Decimal("0"),
            )
            for i in range(len(self.days))
        ]
        grand = sum(totals, Decimal("0"))
        cost = self.staff.cost_of(grand) if self.card.shows_pay else None
        return {"rows": rows, "totals": totals, "grand": grand, "cost": cost}


class TimesheetView(TimesheetMixin, TemplateView):
    """A month's time sheet on one screen: rows of activities, columns of days."""

    template_name = "labs/budget/timesheet.html"

    def get(self, request, *args, **kwargs):
        self.setup_month()
        values = services.timesheet_month(self.staff, self.first.year, self.first.month)
        return self.render_to_response(self.get_context_data(values=values))

    def post(self, request, *args, **kwargs):
        if not (self.can("budget.change_own") or self.can("budget.change_all")):
            raise Http404
        self.setup_month()
        hours, typed, errors = {}, {}, []
        for axis_id, activity_id, _code, label in self.rows:
            for day in self.days:
                raw = request.POST.get(f"h-{axis_id}-{activity_id or 0}-{day.day}", "").strip()
                if not raw:
                    continue
                typed[(axis_id, activity_id, day)] = raw
                try:
                    value = HOURS.clean(raw)
                except ValidationError as error:
                    errors.append(
                        _("%(day)s, %(row)s: «%(v)s» non è un numero di ore valido (%(why)s)")
                        % {
                            "day": f"{day:%d/%m}",
                            "row": label,
                            "v": raw[:20],
                            "why": " ".join(error.messages),
                        }
                    )
                    continue
                if value:
                    hours[(axis_id, activity_id, day)] = value
        if not errors:
            try:
                services.timesheet_save_month(
                    staff=self.staff,
                    actor=request.user,
                    year=self.first.year,
                    month=self.first.month,
                    hours=hours,
                )
            except (ValidationError, services.BudgetError) as error:
                errors.append(str(error))
        if errors:
            # The grid shows back what was typed, the refused cells included.
            context = self.get_context_data(values={**hours, **typed}, errors=errors)
            return self.render_to_response(context, status=400)
        messages.success(request, _("Foglio presenze salvato."))
        return redirect(
            "budget:timesheet", self.project.slug, self.staff.pk, self.first.year, self.first.month
        )

    def get_context_data(self, values=None, **kwargs):
        previous = self.first - dt.timedelta(days=1)
        following = self.first + dt.timedelta(days=32)
        return super().get_context_data(
            staff=self.card,
            first=self.first,
            days=self.days,
            grid=self.grid(values or {}),
            previous=previous,
            following=following.replace(day=1),
            can_change=self.can("budget.change_own") or self.can("budget.change_all"),
            **kwargs,
        )


class TimesheetPdfView(TimesheetMixin, View):
    """The month's time sheet as a PDF to print and sign."""

    def get(self, request, *args, **kwargs):
        from weasyprint import HTML

        self.setup_month()
        values = services.timesheet_month(self.staff, self.first.year, self.first.month)
        html = render_to_string(
            "labs/budget/timesheet_pdf.html",
            {
                "project": self.project,
                "staff": self.card,
                "first": self.first,
                "days": self.days,
                "grid": self.grid(values),
            },
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="ore-{self.staff.pk}-{self.first:%Y%m}.pdf"'
        )
        return response
