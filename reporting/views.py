from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView, View

from labs.scoping import ProjectScopedMixin

from . import audit, charts, selectors
from .models import ProgressReport


class ProjectDashboardView(ProjectScopedMixin, TemplateView):
    """Aggregates only: open to every role of the project, regional officers included."""

    capability = "project.view"
    template_name = "reporting/project_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = selectors.project_figures(self.project)
        context["figures"] = figures
        context["progress"] = selectors.project_progress(figures)
        context["axes"] = selectors.axes_progress(self.project)
        context["hours_chart"] = charts.bar_chart(selectors.monthly_activity_hours(self.project))
        context["participants_chart"] = charts.bar_chart(
            selectors.monthly_new_participants(self.project)
        )
        context["partnerships"] = self.project.partnerships.select_related("organisation")
        return context


class AuditLogView(ProjectScopedMixin, TemplateView):
    """Who changed what in the project, and who opened whose sensitive data."""

    capability = "audit.view"
    template_name = "reporting/audit_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = audit.recent_changes(self.project, limit=100)
        context["accesses"] = audit.recent_sensitive_accesses(self.project, limit=200)
        return context


class ReportScopedMixin(ProjectScopedMixin):
    """Project leads see every version; regional officers only submitted ones."""

    capability = ("reports.view", "reports.view_submitted")

    def reports(self):
        return ProgressReport.objects.visible_to(self.request.user).filter(project=self.project)


class ReportListView(ReportScopedMixin, ListView):
    template_name = "reporting/report_list.html"
    context_object_name = "reports"

    def get_queryset(self):
        return self.reports().select_related("period", "generated_by", "submitted_by")


class ReportPdfView(ReportScopedMixin, View):
    def get(self, request, *args, **kwargs):
        report = get_object_or_404(self.reports(), pk=kwargs["pk"])
        if not report.pdf:
            raise Http404
        return FileResponse(
            report.pdf.open("rb"),
            as_attachment=True,
            filename=f"relazione-{self.project.slug}-{report.period.start_date:%Y%m}-v{report.version}.pdf",
        )
