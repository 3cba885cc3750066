from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = _("Enti e partenariati")

    def ready(self):
        from partners import spid_compat

        spid_compat.apply()
