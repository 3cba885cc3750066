from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Rendicontazione")

    def ready(self):
        from reporting import scopes  # noqa: F401  (row rules for labs.access.scoped)
