from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from labs.companies.models import HostCompany


@admin.register(HostCompany)
class HostCompanyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "project", "vat_number", "ateco_code", "active"]
    list_filter = ["project", "active"]
    search_fields = ["name", "vat_number"]
