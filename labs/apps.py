from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "labs"
    verbose_name = _("Laboratori, territorio e attività")

    def ready(self):
        from labs import scopes  # noqa: F401  (row rules for labs.access.scoped)
