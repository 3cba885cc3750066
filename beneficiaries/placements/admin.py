from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.placements.models import Placement, PlacementMonth, PlacementPayment


class PlacementMonthInline(admin.TabularInline):
    model = PlacementMonth
    extra = 0


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ["path", "kind", "host", "start_date", "end_date", "outcome"]
    list_filter = ["kind", "outcome"]
    inlines = [PlacementMonthInline]


@admin.register(PlacementPayment)
class PlacementPaymentAdmin(admin.ModelAdmin):
    list_display = ["placement", "month", "paid_on", "amount"]


@admin.register(PlacementMonth)
class PlacementMonthAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "month", "hours"]
    raw_id_fields = ["placement"]
