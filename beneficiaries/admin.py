"""Admin for the portal's operator. People are picked by autocompletion everywhere:
the list of people is the biggest table of the portal."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from labs.admin import ReadOnlyMixin, SessionAdmin
from labs.models import Session

from .models import (
    ActivityEnrolment,
    ArrearsRecord,
    Attendance,
    CaseNote,
    Consent,
    Household,
    HouseholdMember,
    OfflineConflict,
    Path,
    Person,
    PersonLink,
    RegisterCorrection,
    RegisterSubmission,
    Registration,
    SensitiveAccess,
    Tenancy,
)

PERSON_SEARCH = ["person__last_name", "person__first_name", "^person__tax_code"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    autocomplete_fields = ["recorded_by"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = [
        "last_name",
        "first_name",
        "tax_code",
        "birth_date",
        "sex",
        "citizenship",
        "created_at",
    ]
    list_filter = ["sex", "citizenship"]
    search_fields = ["last_name", "first_name", "^tax_code", "email", "phone"]
    inlines = [ConsentInline]


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "purpose", "signed_on", "expires_on", "withdrawn_on"]
    list_filter = ["purpose", ("withdrawn_on", admin.EmptyFieldListFilter)]
    search_fields = PERSON_SEARCH
    list_select_related = ["person"]
    autocomplete_fields = ["person", "recorded_by"]
    date_hierarchy = "signed_on"


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    autocomplete_fields = ["person"]


class TenancyInline(admin.TabularInline):
    model = Tenancy
    extra = 0
    autocomplete_fields = ["unit"]


class ArrearsRecordInline(admin.TabularInline):
    model = ArrearsRecord
    extra = 0


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["code", "project", "isee_band", "isee_year", "created_at"]
    list_filter = ["project", "isee_band"]
    search_fields = ["code", "members__person__last_name", "members__person__tax_code"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    inlines = [HouseholdMemberInline, TenancyInline, ArrearsRecordInline]


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(SimpleHistoryAdmin):
    list_display = ["person", "household", "relation", "start_date", "end_date"]
    list_filter = ["relation", "household__project", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = [*PERSON_SEARCH, "household__code"]
    list_select_related = ["person", "household"]
    autocomplete_fields = ["person", "household"]


@admin.register(Tenancy)
class TenancyAdmin(SimpleHistoryAdmin):
    list_display = ["household", "unit", "moved_in", "moved_out"]
    list_filter = ["household__project", ("moved_out", admin.EmptyFieldListFilter)]
    search_fields = ["household__code", "unit__owner_code", "unit__building__address"]
    list_select_related = ["household", "unit__building"]
    autocomplete_fields = ["household", "unit"]
    date_hierarchy = "moved_in"


@admin.register(ArrearsRecord)
class ArrearsRecordAdmin(SimpleHistoryAdmin):
    list_display = ["household", "recorded_on", "amount", "blameless", "repayment_plan"]
    list_filter = ["blameless", "repayment_plan", "household__project"]
    search_fields = ["household__code"]
    list_select_related = ["household"]
    autocomplete_fields = ["household"]
    date_hierarchy = "recorded_on"


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "project", "registered_on"]
    list_filter = ["project"]
    search_fields = PERSON_SEARCH
    list_select_related = ["person", "project"]
    autocomplete_fields = ["person", "project"]
    date_hierarchy = "registered_on"


@admin.register(ActivityEnrolment)
class ActivityEnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "activity", "since"]
    list_filter = ["activity__project", "activity__kind"]
    search_fields = [*PERSON_SEARCH, "activity__name"]
    list_select_related = ["person", "activity"]
    autocomplete_fields = ["person", "activity"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["person", "session", "hours"]
    list_filter = ["session__activity__project"]
    search_fields = [*PERSON_SEARCH, "session__activity__name"]
    list_select_related = ["person", "session__activity"]
    autocomplete_fields = ["person", "session"]
    date_hierarchy = "session__date"


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]


# labs does not import beneficiaries, so the register joins the session admin from here.
admin.site.unregister(Session)


@admin.register(Session)
class SessionWithRegisterAdmin(SessionAdmin):
    list_display = [*SessionAdmin.list_display, "register_size"]
    inlines = [AttendanceInline, *SessionAdmin.inlines]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(register_size=Count("attendances"))

    @admin.display(description=_("presenze nominative"), ordering="register_size")
    def register_size(self, obj):
        return obj.register_size


@admin.register(Path)
class PathAdmin(SimpleHistoryAdmin):
    list_display = [
        "person",
        "project",
        "axis",
        "entry_date",
        "labour_status",
        "exit_date",
        "exit_reason",
        "tutor",
    ]
    list_filter = [
        "project",
        "labour_status",
        "exit_reason",
        ("exit_date", admin.EmptyFieldListFilter),
    ]
    search_fields = PERSON_SEARCH
    list_select_related = ["person", "project", "axis", "tutor"]
    autocomplete_fields = ["person", "project", "axis", "tutor"]
    date_hierarchy = "entry_date"


@admin.register(CaseNote)
class CaseNoteAdmin(SimpleHistoryAdmin):
    list_display = ["date", "project", "person", "household", "author"]
    list_filter = ["project"]
    search_fields = [*PERSON_SEARCH, "household__code"]
    list_select_related = ["project", "person", "household", "author"]
    autocomplete_fields = ["project", "person", "household", "author"]
    date_hierarchy = "date"


@admin.register(PersonLink)
class PersonLinkAdmin(SimpleHistoryAdmin):
    list_display = ["person", "same_as", "linked_by", "linked_at", "unlinked_at"]
    list_filter = [("unlinked_at", admin.EmptyFieldListFilter)]
    search_fields = [*PERSON_SEARCH, "same_as__last_name", "^same_as__tax_code"]
    list_select_related = ["person", "same_as", "linked_by"]
    autocomplete_fields = ["person", "same_as", "linked_by"]


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """An access log: read, never written or erased by hand."""

    list_display = ["accessed_at", "user", "person", "project", "what"]
    list_filter = ["project"]
    search_fields = ["user__username", *PERSON_SEARCH, "what"]
    list_select_related = ["user", "person", "project"]
    date_hierarchy = "accessed_at"


class RegisterLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Logs of the registers (corrections, form tokens): read, never written by hand."""

    list_filter = ["session__activity__project"]
    search_fields = ["session__activity__name"]
    list_select_related = ["session__activity"]


@admin.register(RegisterCorrection)
class RegisterCorrectionAdmin(RegisterLogAdmin):
    list_display = ["corrected_at", "session", "corrected_by", "reason"]
    list_select_related = ["session__activity", "corrected_by"]
    date_hierarchy = "corrected_at"


@admin.register(RegisterSubmission)
class RegisterSubmissionAdmin(RegisterLogAdmin):
    list_display = ["submitted_at", "session", "submitted_by"]
    list_select_related = ["session__activity", "submitted_by"]
    date_hierarchy = "submitted_at"


@admin.register(OfflineConflict)
class OfflineConflictAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Registers sent from a tablet over a newer version: read here, decided in the
    portal by the operator (beneficiaries/registers/offline.py)."""

    list_display = ["submitted_at", "session", "submitted_by", "resolution"]
    list_filter = ["resolution", "session__activity__project"]
    list_select_related = ["session__activity", "submitted_by"]
    date_hierarchy = "submitted_at"


from beneficiaries.allowances import admin as allowance_admin  # noqa: E402,F401  (allowance payments)
from beneficiaries.followups import admin as followup_admin  # noqa: E402,F401  (follow-up contacts)
from beneficiaries.placements import admin as placement_admin  # noqa: E402,F401
from beneficiaries.repayments import admin as repayment_admin  # noqa: E402,F401  (repayment plans)
from beneficiaries.reviews import admin as review_admin  # noqa: E402,F401  (case reviews)
