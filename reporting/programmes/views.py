"""The Region's programme view: one page per programme (call) with every project the
user may see in it (a regional officer: all of them; a lead: the projects they lead),
sortable, with an XLSX export. Aggregates only: no person is named."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from labs import access
from labs.exports import xlsx_response
from labs.models import Programme

from . import selectors, tables


class ProgrammeMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        # A call outside the user's scope answers 404 to every method, 405 only after.
        if request.user.is_authenticated:
            self.get_programme()
        return super().dispatch(request, *args, **kwargs)

    def get_programme(self) -> Programme:
        if not hasattr(self, "_programme"):  # read once: dispatch, then the page
            self._programme = access.get_scoped_or_404(
                Programme,
                self.request.user,
                queryset=selectors.programmes_for(self.request.user),
                code=self.kwargs["code"],
            )
        return self._programme

    def overview(self) -> dict:
        programme = self.get_programme()
        projects = selectors.projects_for(self.request.user, programme)
        data = selectors.programme_overview(
            self.request.user, projects, programme, timezone.localdate()
        )
        if not data["rows"]:
            raise Http404
        key = self.request.GET.get("ordina", "progetto")
        key = key if key in selectors.SORT_KEYS else "progetto"
        descending = self.request.GET.get("verso") == "desc"
        data["rows"] = selectors.sort_rows(data["rows"], key, descending)
        return {"programme": programme, "sort": key, "descending": descending, **data}


class ProgrammeListView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/programme_list.html"

    def get_context_data(self, **kwargs):
        programmes = list(selectors.programmes_for(self.request.user))
        if not programmes:
            raise Http404
        return super().get_context_data(programmes=programmes, **kwargs)


class ProgrammeView(ProgrammeMixin, TemplateView):
    template_name = "reporting/programme.html"

    def get_context_data(self, **kwargs):
        data = self.overview()
        labels = {i.code: i.label for i in data["catalogue"].outputs} if data["catalogue"] else {}
        breakdowns = data["catalogue"].breakdowns if data["catalogue"] else ()
        esf = [
            {
                "code": code,
                "label": labels.get(code, code),
                "cells": [values.get(b.key, "") for b in breakdowns],
                **values,
            }
            for code, values in data["esf"]["indicators"].items()
        ]
        columns = [
            ("progetto", _("Progetto")),
            ("nuclei", _("Nuclei")),
            ("persone", _("Persone")),
            ("partecipanti", _("Partecipanti FSE")),
            ("ore", _("Ore")),
            ("spesa", _("Spesa")),
            ("ritardi", _("Relazioni")),
        ]
        project_rows, total_row = tables.project_rows(data["rows"], data["totals"])
        return super().get_context_data(
            project_rows=project_rows,
            total_row=total_row,
            period_rows=tables.period_rows(data["rows"]),
            esf_rows=esf,
            columns=columns,
            due_days=selectors.REPORT_DUE_DAYS,
            **data,
            **kwargs,
        )


class ProgrammeXlsxView(ProgrammeMixin, View):
    def get(self, request, *args, **kwargs):
        data = self.overview()
        header = [
            _("Progetto"),
            _("CUP"),
            _("Capofila"),
            _("Nuclei raggiunti"),
            _("Nuclei da raggiungere"),
            _("Persone raggiunte"),
            _("Persone da raggiungere"),
            _("Partecipanti FSE"),
            _("Partecipanti FSE attesi"),
            _("Ore svolte"),
            _("Ore previste"),
            _("Spesa (€)"),
            _("Budget (€)"),
            _("Relazioni in ritardo"),
            _("Stato delle relazioni"),
        ]
        rows = [
            [
                r.project.short_name,
                r.project.cup,
                r.project.lead_organisation.name,
                r.households,
                r.project.target_households,
                r.people,
                r.project.target_people,
                r.participants,
                r.project.target_participants,
                float(round(r.hours, 2)),
                r.project.target_hours,
                float(r.spent),
                float(r.project.budget),
                r.late_reports,
                "; ".join(
                    f"{p.name}: {p.label}"
                    + (f" {p.submitted_at:%d/%m/%Y}" if p.submitted_at else "")
                    for p in r.periods
                ),
            ]
            for r in data["rows"]
        ]
        programme = data["programme"]
        return xlsx_response(f"programma-{programme.code}.xlsx", programme.code, header, rows)
