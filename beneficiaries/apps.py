from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "beneficiaries"
    verbose_name = _("Persone e nuclei")

    def ready(self):
        from beneficiaries import scopes  # noqa: F401  (row rules for labs.access.scoped)

        # Allowances paid count as spending in the budget of labs, which never imports us.
        from beneficiaries.allowances.services import allowance_spending
        from labs.budget.services import SPENDING_SOURCES

        if allowance_spending not in SPENDING_SOURCES:
            SPENDING_SOURCES.append(allowance_spending)
        # Placement grants paid are allowances too (issue 15).
        from beneficiaries.placements.services import placement_grant_spending

        if placement_grant_spending not in SPENDING_SOURCES:
            SPENDING_SOURCES.append(placement_grant_spending)
