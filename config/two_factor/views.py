"""The two pages after the password: enrol an authenticator app, or give its code."""

from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView

from . import services
from .forms import CodeForm, EnrolForm
from .policy import is_verified

SESSION_KEY = "two_factor_enrol_key"


class NextMixin:
    def next_url(self) -> str:
        wanted = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return wanted
        return "/"

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class VerifyView(NextMixin, FormView):
    """The second step of a password login: the app's code or a recovery code."""

    form_class = CodeForm
    template_name = "registration/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if is_verified(request.user):
            return redirect(self.next_url())
        if not services.has_device(request.user):
            return redirect(f"{reverse('two_factor:enrol')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        if services.is_locked_out(self.request, user):
            return self.locked_out(user)
        if services.two_factor_verify(
            request=self.request, user=user, token=form.cleaned_data["token"]
        ):
            return redirect(self.next_url())
        if getattr(self.request, "axes_locked_out", False):
            return self.locked_out(user)
        form.add_error(
            "token", _("Codice non valido o già usato. Riprova con il codice che l'app mostra ora.")
        )
        return self.form_invalid(form)

    def locked_out(self, user):
        """Too many failures for this username or address: the session ends, and the
        page says so as for a password (429, django-axes' lockout page)."""
        credentials = services.credentials(user)
        logout(self.request)
        return get_lockout_response(self.request, None, credentials)


class EnrolView(NextMixin, FormView):
    """Set up an authenticator app: a QR code drawn here, then its first code. A user
    who already has an app gives its code instead (an enrolment cannot replace it
    without it)."""

    form_class = EnrolForm
    template_name = "registration/two_factor_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if services.has_device(request.user) and not is_verified(request.user):
            return redirect(f"{reverse('two_factor:verify')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def key(self) -> str:
        key = self.request.session.get(SESSION_KEY)
        if not key:
            key = self.request.session[SESSION_KEY] = services.new_key()
        return key

    def get_context_data(self, **kwargs):
        user, key = self.request.user, self.key()
        return super().get_context_data(
            qr_svg=services.qr_svg(services.config_url(user, key)),
            secret=services.key_b32(key),
            already_enrolled=services.has_device(user),
            **kwargs,
        )

    def form_valid(self, form):
        codes = services.two_factor_enrol(
            request=self.request,
            user=self.request.user,
            key=self.key(),
            token=form.cleaned_data["token"],
        )
        if codes is None:
            form.add_error(
                "token",
                _(
                    "Il codice non corrisponde. Controlla l'ora del telefono e scrivi "
                    "il codice che l'app mostra ora."
                ),
            )
            return self.form_invalid(form)
        self.request.session.pop(SESSION_KEY, None)
        messages.success(self.request, _("La verifica in due passaggi è attiva."))
        # The recovery codes are shown on this answer only; they cannot be seen again.
        return render(
            self.request,
            "registration/two_factor_recovery_codes.html",
            {"codes": codes, "next": self.next_url()},
        )
