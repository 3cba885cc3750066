"""Admin of allowance payments (imported by beneficiaries.admin)."""

from django.contrib import admin

from beneficiaries.allowances.models import AllowancePayment


@admin.register(AllowancePayment)
class AllowancePaymentAdmin(admin.ModelAdmin):
    list_display = ["paid_on", "path", "amount", "reference", "recorded_by"]
    search_fields = ["path__person__last_name", "path__person__first_name", "reference"]
    list_select_related = ["path__person", "path__project", "recorded_by"]
    autocomplete_fields = ["path", "recorded_by"]
    date_hierarchy = "paid_on"
