"""The offline register's pages and JSON (issue #18, docs/offline.md).

- ``OfflineAppView``: the app's page, kept by the service worker; it draws everything
  from the device copy (IndexedDB), so it opens without a connection.
- ``OfflineDataView``: the device copy as JSON (``offline.offline_set``), never cached.
- ``OfflineSubmitView``: one register sent by the tablet, with the version it had.
- ``OfflineConflictView``: both versions of a refused register, and the choice.
- ``service_worker`` and ``manifest``: served at the root, so that the worker's scope
  covers the whole portal; public, with no personal data.
"""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, View

from beneficiaries.models import OfflineConflict
from beneficiaries.registers import offline
from labs import selectors
from labs.forms import HiddenFieldErrorsMixin
from labs.models import Session
from labs.scoping import ProjectScopedMixin


class OfflineAppView(TemplateView):
    """The registers of the week, from the device copy. For users who fill registers."""

    template_name = "beneficiaries/offline_app.html"

    def dispatch(self, request, *args, **kwargs):
        if not offline.offline_projects(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, strings=app_strings())


def app_strings() -> dict[str, str]:
    """The words static/js/offline/app.js shows, in the user's language."""
    return {
        "online": _("Connesso."),
        "offline": _("Senza connessione: lavori sulla copia di questo dispositivo."),
        "copy_of": _("Copia del %(when)s."),
        "no_copy": _(
            "Questo dispositivo non ha ancora una copia dei registri: apri questa pagina "
            "una volta con la connessione."
        ),
        "signed_out": _(
            "Sei uscito da Quartieri: accedi di nuovo per inviare i registri. Restano su "
            "questo dispositivo."
        ),
        "sending": _("Invio in corso…"),
        "sent": _("Registri inviati: %(n)s."),
        "no_sessions": _("Nessun incontro delle tue attività in questa settimana."),
        "pending": _("salvato su questo dispositivo, non ancora inviato"),
        "refused": _("rifiutato dal server"),
        "conflict": _("in conflitto con una versione più recente"),
        "retry": _("non inviato per un errore del server: si riprova al prossimo invio"),
        "compare": _("Confronta le versioni e scegli"),
        "open": _("Apri"),
        "planned": _("da compilare"),
        "held": _("compilato"),
        "validated": _("validato"),
        "usual": _("abituale"),
        "hours_of": _("Ore di %(name)s"),
        "hours": _("ore"),
        "found": _("Persone trovate: %(n)s."),
        "found_none": _("Nessuna persona con questo nome."),
        "validated_note": _(
            "Registro validato: si corregge solo dal portale, con una correzione motivata."
        ),
        "not_started": _(
            "L'incontro non è ancora iniziato: il registro si compila durante o dopo l'incontro."
        ),
        "bad_hours": _("%(name)s: indicare ore maggiori di zero e non oltre la durata (%(h)s)."),
        "bad_head_count": _("Presenti senza nome: un numero intero da 0 a 10000."),
        "saved": _("Registro salvato su questo dispositivo, non ancora inviato."),
        "logout_pending": _(
            "Ci sono registri non ancora inviati: uscendo saranno cancellati da questo "
            "dispositivo. Uscire comunque?"
        ),
    }


class OfflineDataView(View):
    """The device copy (JSON). Not stored by the browser's HTTP cache: it is kept only in
    IndexedDB, which the logout empties."""

    http_method_names = ["get"]

    def get(self, request):
        if not offline.offline_projects(request.user):
            raise Http404
        data = offline.offline_set(request.user)
        start, end = data.pop("week")
        data.update(
            week={"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")},
            user=request.user.get_username(),
            csrf_token=get_token(request),
        )
        for item in data["sessions"]:
            item["submit_url"] = reverse(
                "registers:offline-submit", args=[item["project"], item["id"]]
            )
        response = JsonResponse(data)
        response["Cache-Control"] = "no-store"
        return response


class OfflineSubmitView(ProjectScopedMixin, View):
    """POST (JSON): save one register from the tablet. 200 with the new version; 409 with
    the server's version and the comparison page when somebody changed it since; 400 or
    422 with the reason for anything else. CSRF-protected like every POST."""

    capability = "sessions.change"
    model = Session
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = selectors.session_or_404(
            request.user, self.project, kwargs["pk"], perm="labs.change_session"
        )
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            data = None
        try:
            register = offline.parse_register(data)
            result = offline.offline_submit(user=request.user, session=session, register=register)
        except offline.OfflineConflictError as error:
            conflict = error.conflict
            return JsonResponse(
                {
                    "error": str(offline.STALE_MESSAGE),
                    "server_version": conflict.server_version,
                    "conflict": conflict.pk,
                    "conflict_url": reverse(
                        "registers:offline-conflict", args=[self.project.slug, conflict.pk]
                    ),
                },
                status=409,
            )
        except offline.OfflineRefused as error:
            return JsonResponse({"error": str(error)}, status=error.status)
        return JsonResponse({"ok": True, **result})


class ConflictChoiceForm(HiddenFieldErrorsMixin, forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Quale versione tenere"),
        widget=forms.RadioSelect,
        choices=[
            ("server", gettext_lazy("Tieni la versione del server (la tua resta registrata qui)")),
            ("device", gettext_lazy("Invia la versione del dispositivo sopra quella del server")),
        ],
        error_messages={"required": gettext_lazy("Scegli quale versione tenere.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class OfflineConflictView(ProjectScopedMixin, FormView):
    """Both versions of a register refused as outdated, and the operator's choice."""

    capability = "sessions.change"
    model = OfflineConflict
    form_class = ConflictChoiceForm
    template_name = "beneficiaries/offline_conflict.html"

    def get(self, request, *args, **kwargs):
        self.load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load()
        return super().post(request, *args, **kwargs)

    def load(self):
        self.conflict = self.get_object()
        self.require_perm("labs.change_session", self.conflict.session)
        self.comparison = offline.conflict_view(user=self.request.user, conflict=self.conflict)

    def get_initial(self):
        return {"version": self.comparison.current_version}

    def form_valid(self, form):
        try:
            if form.cleaned_data["choice"] == "server":
                offline.conflict_keep_server(conflict=self.conflict, actor=self.request.user)
                messages.success(self.request, _("Tenuta la versione del server."))
            else:
                offline.conflict_send_device(
                    conflict=self.conflict,
                    actor=self.request.user,
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(
                    self.request, _("Il registro del dispositivo è stato salvato sul server.")
                )
        except offline.OfflineRefused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect("labs:session-detail", self.project.slug, self.conflict.session_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, conflict=self.conflict, comparison=self.comparison
        )


# The files the service worker keeps for the app to open offline (besides the app's page).
SHELL_STATIC = [
    "vendor/bootstrap-italia/dist/css/bootstrap-italia.min.css",
    "css/fonts.css",
    "css/quartieri.css",
    "css/offline.css",
    "js/before-bootstrap-italia.js",
    "vendor/bootstrap-italia/dist/js/bootstrap-italia.bundle.min.js",
    "js/quartieri.js",
    "js/offline/store.js",
    "js/offline/sync.js",
    "js/offline/app.js",
    "img/favicon.svg",
    "img/offline/icon.svg",
]


@login_not_required
@never_cache
def service_worker(request):
    """The service worker, at /sw.js so that its scope is the whole portal."""
    body = render_to_string(
        "beneficiaries/offline_sw.js",
        {
            "shell": [reverse("offline:app"), *(static(path) for path in SHELL_STATIC)],
            "store_js": static("js/offline/store.js"),
            "sync_js": static("js/offline/sync.js"),
            "app_url": reverse("offline:app"),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
def manifest(request):
    """The web app manifest: installable from the offline registers page."""
    data = {
        "name": _("Quartieri – registri presenze"),
        "short_name": _("Registri"),
        "lang": "it",
        "start_url": reverse("offline:app"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0066cc",
        "icons": [
            {"src": static("img/offline/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("img/offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")
