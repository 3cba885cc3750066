"""Admin of the governance models (imported by labs.admin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from labs.governance.models import Body, BodyMember, Meeting


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    autocomplete_fields = ["organisation", "user"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "project"]
    list_filter = ["kind", "project"]
    search_fields = ["name", "project__short_name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    inlines = [BodyMemberInline]


@admin.register(BodyMember)
class BodyMemberAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "organisation", "body", "position"]
    search_fields = ["full_name", "organisation__name", "body__name"]
    list_select_related = ["organisation", "body"]
    autocomplete_fields = ["body", "organisation", "user"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "body", "place"]
    list_filter = ["body__kind"]
    search_fields = ["body__name", "place", "decisions"]
    list_select_related = ["body"]
    autocomplete_fields = ["body", "attendees", "created_by"]
    # The minutes are served only through the portal's scoped view.
    readonly_fields = ["minutes", "minutes_name", "minutes_type", "minutes_size"]
    date_hierarchy = "date"
