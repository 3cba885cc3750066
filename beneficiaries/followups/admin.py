"""Admin of follow-up contact attempts (imported by beneficiaries.admin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.followups.models import FollowupContact


@admin.register(FollowupContact)
class FollowupContactAdmin(SimpleHistoryAdmin):
    list_display = ["contacted_on", "path", "channel", "reached", "recorded_by"]
    list_filter = ["channel", "reached"]
    search_fields = ["path__person__last_name", "path__person__first_name"]
    list_select_related = ["path__person", "path__project", "recorded_by"]
    autocomplete_fields = ["path", "recorded_by"]
    date_hierarchy = "contacted_on"
