from django.contrib import admin

from labs.admin import ReadOnlyMixin

from .models import FiguresChange, ProgressReport, ProjectFigures


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """A submitted report never changes: the admin shows it read-only."""

    list_display = [
        "project",
        "period",
        "version",
        "status",
        "generated_at",
        "generated_by",
        "submitted_at",
    ]
    list_filter = ["status", "project"]
    search_fields = ["project__short_name", "project__cup", "period__name", "pdf_sha256"]
    list_select_related = ["project", "period__project", "generated_by"]
    autocomplete_fields = ["project", "generated_by", "submitted_by"]
    readonly_fields = ["snapshot_sha256", "pdf_sha256"]
    date_hierarchy = "generated_at"

    def has_change_permission(self, request, obj=None):
        submitted = obj is not None and obj.status == ProgressReport.Status.SUBMITTED
        return not submitted and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        submitted = obj is not None and obj.status == ProgressReport.Status.SUBMITTED
        return not submitted and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Rows the database keeps (reporting.programmes.figures): shown, never edited here."""


@admin.register(ProjectFigures)
class ProjectFiguresAdmin(ReadOnlyAdmin):
    list_display = ["project", "households", "people", "participants", "spent", "computed_at"]
    list_select_related = ["project"]


@admin.register(FiguresChange)
class FiguresChangeAdmin(ReadOnlyAdmin):
    list_display = ["id", "project_id", "claimed"]
