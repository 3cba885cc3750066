from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "beneficiaries"
    verbose_name = _("Persone e nuclei")

    def ready(self):
        # Allowances paid count as spending in the budget of labs, which never imports us.
        from labs.budget_services import SPENDING_SOURCES

        from .allowances import allowance_spending

        if allowance_spending not in SPENDING_SOURCES:
            SPENDING_SOURCES.append(allowance_spending)
