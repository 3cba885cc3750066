from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django.views.i18n import set_language

from config.health import health
from config.login_throttling import PasswordResetConfirmView
from config.logout import LogoutView
from labs.views import HomeView

admin.site.site_header = _("Quartieri – amministrazione")
admin.site.site_title = _("Quartieri")
admin.site.index_title = _("Gestione del portale")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("labs.urls")),
    path("progetti/<slug:project>/", include("labs.territory.urls")),
    path("progetti/<slug:project>/", include("labs.budget.urls")),
    path("progetti/<slug:project>/", include("labs.governance.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.people.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.households.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.paths.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.reviews.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.imports.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.registers.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.allowances.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.followups.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.repayments.urls")),
    path("progetti/<slug:project>/", include("labs.companies.urls")),
    path("progetti/<slug:project>/", include("beneficiaries.placements.urls")),
    path("progetti/<slug:project>/", include("reporting.urls")),
    path("programmi/", include("reporting.programmes.urls")),
    path("", include("beneficiaries.registers.offline_urls")),
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("config.two_factor.urls")),
    # Logout also empties the device's copy of personal data (Clear-Site-Data).
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Anyone, signed in or not, may switch the interface language (login page included).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "accessibilita/",
        login_not_required(TemplateView.as_view(template_name="pages/accessibility.html")),
        name="accessibility",
    ),
    path(
        "privacy/",
        login_not_required(TemplateView.as_view(template_name="pages/privacy.html")),
        name="privacy",
    ),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
]

handler500 = "config.errors.server_error"
