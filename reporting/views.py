from django.views.generic import ListView, TemplateView, View

from labs import access
from labs.governance.partnership_rules import project_partnership_warnings
from labs.models import Partnership, ReportingPeriod
from labs.scoping import ProjectScopedMixin, private_file_response

from . import audit, charts, selectors
from .models import ProgressReport


class ProjectDashboardView(ProjectScopedMixin, TemplateView):
    """Aggregates only: open to every role of the project, regional officers included."""

    capability = "project.view"
    template_name = "reporting/project_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = selectors.dashboard_figures(self.project)
        context["figures"] = figures
        context["progress"] = selectors.project_progress(figures)
        context["axes"] = selectors.axes_progress(self.project)
        context["hours_chart"] = charts.bar_chart(
            selectors.monthly_activity_hours(self.project), digits="-1g"
        )
        context["participants_chart"] = charts.bar_chart(
            selectors.monthly_new_participants(self.project), digits="0g"
        )
        context["partnerships"] = self.project.partnerships.select_related("organisation")
        context["followup_rate"] = selectors.followup_response(self.project)
        context["repayments"] = selectors.repayments_to_date(self.project)
        context["partnership_warnings"] = project_partnership_warnings(
            self.project, self.scoped(Partnership)
        )
        return context


class AuditLogView(ProjectScopedMixin, TemplateView):
    """Who changed what in the project, and who opened whose sensitive data."""

    capability = "audit.view"
    template_name = "reporting/audit_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = audit.recent_changes(self.project, self.request.user, limit=100)
        context["accesses"] = audit.recent_sensitive_accesses(
            self.project, self.request.user, limit=200
        )
        return context


class ReportScopedMixin(ProjectScopedMixin):
    """Project leads see every version; regional officers only submitted ones."""

    capability = ("reports.view", "reports.view_submitted")
    model = ProgressReport

    def reports(self):
        return self.scoped(ProgressReport)


class ReportListView(ReportScopedMixin, ListView):
    template_name = "reporting/report_list.html"
    context_object_name = "reports"

    def get_queryset(self):
        return self.reports().select_related("period", "generated_by", "submitted_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["periods"] = self.scoped(ReportingPeriod).order_by("start_date")
        return context


class ReportPdfView(ReportScopedMixin, View):
    def get(self, request, *args, **kwargs):
        report = self.get_object()
        period = f"{report.period.start_date:%Y%m}"
        name = f"relazione-{self.project.slug}-{period}-v{report.version}.pdf"
        return private_file_response(report.pdf, name)


# ---- Report lifecycle of a period: generate, narrative, submit ------------------------


def _period_or_404(request, project, pk):
    rows = access.scoped(ReportingPeriod, request.user, project)
    return access.get_scoped_or_404(
        ReportingPeriod,
        request.user,
        queryset=rows.select_related("closed_by", "reopened_by"),
        pk=pk,
    )


class ReportPeriodView(ReportScopedMixin, TemplateView):
    """A period's report: every version with who and when, the figures' and the PDF's
    checksums, the progress of a generation, and the changes made after closing."""

    template_name = "reporting/report_period.html"
    model = ReportingPeriod
    pk_url_kwarg = "period"

    def get_context_data(self, **kwargs):
        from .forms import NarrativeForm
        from .period_changes import changes_after_closing

        context = super().get_context_data(**kwargs)
        period = _period_or_404(self.request, self.project, kwargs["period"])
        versions = list(
            self.reports()
            .filter(period=period)
            .select_related("generated_by", "submitted_by")
            .order_by("-version")
        )
        manage = self.can("reports.generate")
        current = versions[0] if versions and not versions[0].is_submitted else None
        context.update(
            period=period,
            versions=versions,
            manage=manage,
            current=current if manage else None,
            running=any(v.is_running for v in versions),
            # The figures of the period as data files (export_views), for the leads.
            exports=self.can("reports.view"),
        )
        if manage:
            context["first_closed_at"], context["changes"] = changes_after_closing(
                period, self.request.user
            )
            if current is not None:
                context["narrative_form"] = NarrativeForm(
                    initial={"revision": current.revision, **current.narrative}
                )
        return context


class ReportActionMixin(ReportScopedMixin):
    capability = "reports.generate"

    def period_url(self, period_id):
        from django.urls import reverse

        return reverse("reporting:report-period", args=[self.project.slug, period_id])

    def editable_report(self):
        return self.get_object(
            self.reports().exclude(status=ProgressReport.Status.SUBMITTED).select_related("period")
        )


class ReportGenerateView(ReportActionMixin, View):
    # A POST-only button: another project's period answers 404 to GET too (the mixin).
    model = ReportingPeriod
    pk_url_kwarg = "period"

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from . import services

        period = _period_or_404(self.request, self.project, kwargs["period"])
        try:
            report = services.report_generate(period=period, actor=request.user)
        except services.ReportError as error:
            messages.error(request, str(error))
        else:
            if report.status == ProgressReport.Status.GENERATED:
                messages.success(request, _("Versione %(v)d generata.") % {"v": report.version})
            elif report.status == ProgressReport.Status.FAILED:
                messages.error(request, _("La generazione non è riuscita: riprova."))
            else:
                messages.info(
                    request,
                    _("Versione %(v)d in preparazione: la pagina mostra l'avanzamento.")
                    % {"v": report.version},
                )
        return redirect(self.period_url(period.pk))


class ReportNarrativeView(ReportActionMixin, TemplateView):
    template_name = "reporting/report_narrative.html"

    def get_context_data(self, **kwargs):
        from .forms import NarrativeForm

        context = super().get_context_data(**kwargs)
        report = self.editable_report()
        context["report"] = report
        context.setdefault(
            "form", NarrativeForm(initial={"revision": report.revision, **report.narrative})
        )
        return context

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from . import services
        from .forms import NarrativeForm

        report = self.editable_report()
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_narrative_update(
                    report=report,
                    actor=request.user,
                    narrative=form.narrative(),
                    revision=form.cleaned_data["revision"],
                )
            except services.ConcurrentEditError as error:
                form.add_error(None, str(error))
            except services.ReportError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Testo salvato: la versione viene rigenerata."))
                return redirect(self.period_url(report.period_id))
        return self.render_to_response(self.get_context_data(form=form))


class ReportSubmitView(ReportActionMixin, TemplateView):
    template_name = "reporting/report_submit.html"

    def get_context_data(self, **kwargs):
        from .forms import SubmitForm

        context = super().get_context_data(**kwargs)
        report = self.editable_report()
        context["report"] = report
        context.setdefault("form", SubmitForm(initial={"revision": report.revision}))
        return context

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from . import services
        from .forms import SubmitForm

        report = self.editable_report()
        form = SubmitForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_submit(
                    report=report, actor=request.user, revision=form.cleaned_data["revision"]
                )
            except services.ConcurrentEditError as error:
                form.add_error(None, str(error))
            except services.ReportError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Versione %(v)d trasmessa.") % {"v": report.version})
                return redirect(self.period_url(report.period_id))
        return self.render_to_response(self.get_context_data(form=form))


class ReportStatusView(ReportScopedMixin, View):
    """Progress of a version's generation, polled by static/js/report-progress.js."""

    def get(self, request, *args, **kwargs):
        from django.http import JsonResponse

        report = self.get_object()
        return JsonResponse(
            {
                "status": report.status,
                "label": str(report.get_status_display()),
                "progress": report.progress,
                "done": not report.is_running,
            }
        )
