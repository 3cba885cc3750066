from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Organisation, UserIdentity


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "tax_code",
        "city",
        "accredited_labour",
        "accredited_training",
    ]
    list_filter = ["kind", "accredited_labour", "accredited_training"]
    search_fields = ["name", "short_name", "tax_code", "city", "pec"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "job_title", "is_active"]
    list_filter = ["is_active", "organisation__kind"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "organisation__name",
    ]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(UserIdentity)
class UserIdentityAdmin(SimpleHistoryAdmin):
    """The codice fiscale by which a user signs in with SPID or CIE."""

    list_display = ["user", "tax_code"]
    search_fields = ["tax_code", "user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
