"""Downloads of a report's figures (XLSX, CSV, JSON) and of the pseudonymised participant
list, computed from the live data of a period. Only users with ``reports.view`` on the
project (its leads); everyone else, partner operators included, gets 404."""

from django.http import Http404, HttpResponse
from django.views import View

from labs import access
from labs.models import ReportingPeriod
from labs.scoping import ProjectScopedMixin

from .exports import participants_csv, report_export
from .report_data import build_report_data

EXPORT_FORMATS = ("xlsx", "csv", "json")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class PeriodExportMixin(ProjectScopedMixin):
    capability = "reports.view"
    model = ReportingPeriod
    pk_url_kwarg = "period"

    def period(self) -> ReportingPeriod:
        return access.get_scoped_or_404(
            ReportingPeriod, self.request.user, self.project, pk=self.kwargs["period"]
        )


class ReportExportView(PeriodExportMixin, View):
    def get(self, request, *args, **kwargs):
        fmt = kwargs["format"]
        if fmt not in EXPORT_FORMATS:
            raise Http404
        period = self.period()
        data = build_report_data(self.project, period)
        language = getattr(request, "LANGUAGE_CODE", "it") or "it"
        content, content_type, ext = report_export(data, fmt, language=language[:2])
        name = f"relazione-{self.project.slug}-{period.start_date:%Y%m%d}-{period.end_date:%Y%m%d}"
        return _attachment(content, content_type, f"{name}.{ext}")


class ParticipantExportView(PeriodExportMixin, View):
    def get(self, request, *args, **kwargs):
        period = self.period()
        content = participants_csv(self.project, period.start_date, period.end_date)
        name = f"partecipanti-pseudonimi-{self.project.slug}-{period.start_date:%Y%m%d}"
        return _attachment(content, "text/csv; charset=utf-8", f"{name}.csv")
