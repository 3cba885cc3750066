from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "labs"
    verbose_name = _("Laboratori, territorio e attività")

    def ready(self):
        from labs import login_policy, scopes  # noqa: F401  (login signal; row rules for scoped)
