"""Admin of the money models (imported by labs.admin). Staff work in the portal's pages;
the operator corrects here."""

from django.contrib import admin

from labs.budget.models import BudgetLine, Expense, StaffMember, TimesheetEntry


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["project", "axis", "organisation", "category", "amount", "funded_amount"]
    list_filter = ["category", "project"]
    search_fields = ["organisation__name", "project__short_name", "axis__code", "notes"]
    list_select_related = ["project", "axis", "organisation"]
    autocomplete_fields = ["project", "axis", "organisation"]


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    list_display = ["date", "project", "organisation", "category", "amount", "status"]
    list_filter = ["status", "category", "project"]
    search_fields = ["supplier", "document_number", "organisation__name", "project__short_name"]
    list_select_related = ["project", "organisation"]
    autocomplete_fields = ["project", "axis", "organisation", "created_by", "reviewed_by"]
    # The document is served only through the portal's scoped view.
    readonly_fields = ["document", "document_name", "document_type"]
    date_hierarchy = "date"


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "project", "contract_type"]
    list_filter = ["contract_type", "project"]
    search_fields = ["last_name", "first_name", "organisation__name", "project__short_name"]
    list_select_related = ["project", "organisation"]
    autocomplete_fields = ["project", "organisation"]


@admin.register(TimesheetEntry)
class TimesheetEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "staff", "axis", "activity", "hours"]
    search_fields = ["staff__last_name", "staff__first_name"]
    list_select_related = ["staff", "axis", "activity"]
    autocomplete_fields = ["staff", "axis", "activity"]
    date_hierarchy = "date"
