from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RepaymentInstalment, RepaymentPayment, RepaymentPlan


class InstalmentInline(admin.TabularInline):
    model = RepaymentInstalment
    extra = 0


@admin.register(RepaymentPlan)
class RepaymentPlanAdmin(SimpleHistoryAdmin):
    list_display = ["household", "project", "creditor", "desk", "debt", "start_date"]
    list_filter = ["project"]
    raw_id_fields = ["household"]
    inlines = [InstalmentInline]


@admin.register(RepaymentPayment)
class RepaymentPaymentAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "paid_on", "channel", "amount", "hours", "value"]
    raw_id_fields = ["plan"]


@admin.register(RepaymentInstalment)
class RepaymentInstalmentAdmin(admin.ModelAdmin):
    """The schedule is written with the plan; its own list helps check a plan's dates."""

    list_display = ["plan", "number", "due_on", "amount"]
    raw_id_fields = ["plan"]
