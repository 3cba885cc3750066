"""Admin of the équipe's case reviews (imported by beneficiaries.admin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.reviews.models import CaseReview


@admin.register(CaseReview)
class CaseReviewAdmin(SimpleHistoryAdmin):
    list_display = ["date", "path", "body", "next_review_on"]
    search_fields = ["path__person__last_name", "body__name"]
    list_select_related = ["path__person", "path__project", "body"]
    autocomplete_fields = ["path", "body", "participants", "created_by"]
    date_hierarchy = "date"
