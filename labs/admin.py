"""Admin for the portal's operator (superuser). Staff work in the portal's own pages.

Changelists name every foreign key they show in ``list_select_related`` and forms pick
related rows through autocompletion, so that pages stay fast on a full territory.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    Axis,
    Building,
    District,
    HousingUnit,
    Lab,
    Municipality,
    Neighbourhood,
    Partnership,
    Programme,
    Project,
    ProjectRole,
    ReportingPeriod,
    ResidentReport,
    Session,
    SessionEvidence,
)


class ReadOnlyMixin:
    """For rows the portal or the database writes (logs, stored figures): shown in the
    admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "fund", "indicator_set", "retention_years"]
    list_filter = ["fund", "indicator_set"]
    search_fields = ["name", "code", "decree"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "istat_code", "cadastral_code", "district"]
    list_filter = ["province", "district"]
    search_fields = ["name", "istat_code", "cadastral_code"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    fields = ["organisation", "role", "budget_share", "agreement_date", "agreement_file"]
    autocomplete_fields = ["organisation"]


class ProjectRoleInline(admin.TabularInline):
    model = ProjectRole
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "short_name",
        "title",
        "cup",
        "programme",
        "lead_organisation",
        "start_date",
        "end_date",
        "status",
    ]
    list_filter = ["status", "programme__fund", "programme"]
    search_fields = ["short_name", "title", "cup", "slug", "funder_reference"]
    list_select_related = ["programme", "lead_organisation"]
    autocomplete_fields = ["lead_organisation", "municipalities"]
    prepopulated_fields = {"slug": ["short_name"]}
    date_hierarchy = "start_date"
    inlines = [AxisInline, PartnershipInline, ProjectRoleInline]

    def has_delete_permission(self, request, obj=None):
        # ESF documents are kept until the retention date: nothing of the project goes before.
        if obj is not None and obj.retention_until and obj.retention_until >= timezone.localdate():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "project", "action", "budget", "target_participants"]
    list_filter = ["project"]
    search_fields = ["code", "name", "action", "project__short_name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "project", "role", "budget_share", "agreement_date"]
    list_filter = ["role", "project", "organisation__kind"]
    search_fields = [
        "organisation__name",
        "organisation__tax_code",
        "project__short_name",
        "project__cup",
    ]
    list_select_related = ["organisation", "project"]
    autocomplete_fields = ["organisation", "project"]


@admin.register(ProjectRole)
class ProjectRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "project", "organisation", "role"]
    list_filter = ["role", "project"]
    search_fields = [
        "user__username",
        "user__last_name",
        "user__email",
        "organisation__name",
        "project__short_name",
    ]
    list_select_related = ["user", "project", "organisation"]
    autocomplete_fields = ["user", "project", "organisation"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "project", "start_date", "end_date", "closed_at", "closed_by"]
    list_filter = ["project", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "project__short_name"]
    list_select_related = ["project", "closed_by"]
    autocomplete_fields = ["project", "closed_by"]
    date_hierarchy = "start_date"


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality__province"]
    search_fields = ["name", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality", "projects"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    """Units are listed on their own changelist: a building may have hundreds."""

    list_display = ["address", "name", "neighbourhood", "owner", "declared_units", "units_link"]
    list_filter = ["owner__kind", "neighbourhood__municipality"]
    search_fields = ["name", "address", "owner_code", "owner__name"]
    list_select_related = ["neighbourhood__municipality", "owner"]
    autocomplete_fields = ["neighbourhood", "owner"]
    readonly_fields = ["units_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_count=Count("units"))

    @admin.display(description=_("alloggi registrati"), ordering="unit_count")
    def units_link(self, obj):
        if obj.pk is None:
            return "–"
        url = reverse("admin:labs_housingunit_changelist") + f"?building__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.unit_count)


@admin.register(HousingUnit)
class HousingUnitAdmin(SimpleHistoryAdmin):
    list_display = ["owner_code", "building", "staircase", "floor", "rooms", "tenure", "status"]
    list_filter = ["status", "tenure", "building__neighbourhood__municipality"]
    search_fields = ["owner_code", "building__name", "building__address"]
    list_select_related = ["building"]
    autocomplete_fields = ["building"]


@admin.register(Lab)
class LabAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "municipality", "neighbourhood", "phase"]
    list_filter = ["project"]
    search_fields = ["name", "address", "project__short_name"]
    list_select_related = ["project", "municipality", "neighbourhood__municipality"]
    autocomplete_fields = ["project", "municipality", "neighbourhood", "operators"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "project",
        "axis",
        "organisation",
        "kind",
        "planned_hours",
        "is_open_event",
    ]
    list_filter = ["kind", "is_open_event", "project"]
    search_fields = ["name", "organisation__name", "project__short_name"]
    list_select_related = ["project", "axis", "organisation"]
    autocomplete_fields = ["project", "axis", "organisation", "lab"]


class SessionEvidenceInline(admin.TabularInline):
    model = SessionEvidence
    extra = 0
    autocomplete_fields = ["uploaded_by"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    """The attendance register is added as an inline by beneficiaries.admin."""

    list_display = [
        "activity",
        "date",
        "start_time",
        "end_time",
        "state",
        "head_count",
        "validated_at",
    ]
    list_filter = ["state", "activity__kind", "activity__project"]
    search_fields = ["activity__name", "place", "cancel_reason"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity", "lab", "operators", "validated_by"]
    date_hierarchy = "date"
    inlines = [SessionEvidenceInline]


@admin.register(SessionEvidence)
class SessionEvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "session", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "session__activity__name"]
    list_select_related = ["session__activity", "uploaded_by"]
    autocomplete_fields = ["session", "uploaded_by"]
    date_hierarchy = "uploaded_at"


@admin.register(ResidentReport)
class ResidentReportAdmin(SimpleHistoryAdmin):
    list_display = [
        "opened_on",
        "category",
        "building",
        "unit",
        "project",
        "status",
        "assigned_to",
        "solved_on",
    ]
    list_filter = ["status", "category", "project"]
    search_fields = ["description", "building__name", "building__address", "unit__owner_code"]
    list_select_related = ["project", "building", "unit__building", "assigned_to"]
    autocomplete_fields = ["project", "building", "unit", "assigned_to", "created_by"]
    date_hierarchy = "opened_on"


from labs.budget import admin as budget_admin  # noqa: E402,F401  (money models)
from labs.companies import admin as companies_admin  # noqa: E402,F401
from labs.governance import admin as governance_admin  # noqa: E402,F401  (bodies, meetings)
