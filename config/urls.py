from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django.views.i18n import set_language
from spid_cie_oidc.entity.views import entity_configuration, openid_connect_jwks_uri

from config import spid
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
    path("accounts/login/", spid.LoginView.as_view(), name="login"),
    path("accounts/", include("config.two_factor.urls")),
    # Logout also empties the device's copy of personal data (Clear-Site-Data).
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    # SPID and CIE (config/spid.py): the library's relying-party views and, as its example
    # project serves them, the entity configuration at the entity id's .well-known path
    # (the entity id is the site's root or its /oidc/rp) and the public core keys.
    path(
        "oidc/rp/authorization",
        login_not_required(spid.BeginView.as_view()),
        name="spid_cie_rp_begin",
    ),
    path(
        "oidc/rp/callback",
        login_not_required(spid.CallbackView.as_view()),
        name="spid_cie_rp_callback",
    ),
    path(
        "oidc/rp/.well-known/openid-federation",
        login_not_required(entity_configuration),
        name="rp_entity_configuration",
    ),
    path(
        ".well-known/openid-federation",
        login_not_required(entity_configuration),
        name="entity_configuration",
    ),
    path(
        "oidc/rp/openid_relying_party/jwks.json",
        login_not_required(openid_connect_jwks_uri),
        {"metadata_type": "openid_relying_party"},
        name="rp_jwks",
    ),
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
