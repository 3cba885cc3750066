"""Upload, preview and confirm an import; download the templates. Every step is scoped
to a project the user may change (people.change) and re-reads the stored file."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from labs.scoping import ProjectScopedMixin

from . import storage
from .engine import ImportRefused, build_preview, run_import
from .forms import ImportUploadForm
from .reading import ImportFileError
from .registry import IMPORTERS, importer_for
from .template_files import template_workbook


class ImportStartView(ProjectScopedMixin, FormView):
    capability = "people.change"
    form_class = ImportUploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "grant": self.grant}

    template_name = "beneficiaries/import_start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Classes are callable: the template gets plain pairs, not the classes.
        context["importers"] = [
            {"kind": kind, "title": cls.title}
            for kind, cls in IMPORTERS.items()
            if self.can(cls.capability)
        ]
        return context

    def form_valid(self, form):
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        importer = importer_for(kind)(project=self.project, actor=self.request.user)
        try:
            build_preview(importer, data)
        except ImportFileError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        token = storage.stash(
            data=data,
            user=self.request.user,
            project=self.project,
            kind=kind,
            filename=upload.name,
        )
        url = reverse("imports:import-preview", args=[self.project.slug, kind])
        return redirect(f"{url}?t={token}")


class ImportPreviewView(ProjectScopedMixin, TemplateView):
    """GET: every row with its problems. POST: check again and save all, or nothing."""

    template_name = "beneficiaries/import_preview.html"

    @property
    def capability(self) -> str:
        """The import's own: a buildings import needs territory.change."""
        return IMPORTERS[self.kwargs["kind"]].capability

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in IMPORTERS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _stored(self, token):
        return storage.load(
            token, user=self.request.user, project=self.project, kind=self.kwargs["kind"]
        )

    def _expired(self):
        messages.error(
            self.request, _("Il file caricato non è più disponibile: caricarlo di nuovo.")
        )
        return redirect("imports:import-start", self.project.slug)

    def _importer(self):
        return IMPORTERS[self.kwargs["kind"]](project=self.project, actor=self.request.user)

    def get(self, request, *args, **kwargs):
        token = request.GET.get("t", "")
        stored = self._stored(token)
        if stored is None:
            return self._expired()
        data, filename = stored
        try:
            preview = build_preview(self._importer(), data)
        except ImportFileError as error:
            messages.error(request, error.message)
            return redirect("imports:import-start", self.project.slug)
        return self.render_to_response(
            self.get_context_data(preview=preview, token=token, filename=filename)
        )

    def post(self, request, *args, **kwargs):
        token = request.POST.get("t", "")
        stored = self._stored(token)
        if stored is None:
            return self._expired()
        data, filename = stored
        try:
            preview = run_import(self._importer(), data)
        except ImportFileError as error:
            messages.error(request, error.message)
            return redirect("imports:import-start", self.project.slug)
        except ImportRefused as refused:
            messages.error(request, refused.message)
            context = self.get_context_data(preview=refused.preview, token=token, filename=filename)
            return self.render_to_response(context)
        storage.discard(token)
        messages.success(
            request,
            _("Importazione completata: %(c)d righe create, %(u)d aggiornate.")
            % {"c": preview.creates, "u": preview.updates},
        )
        return redirect("imports:import-start", self.project.slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["importer_title"] = IMPORTERS[self.kwargs["kind"]].title
        return context


class ImportTemplateView(ProjectScopedMixin, View):
    @property
    def capability(self) -> str:
        importer = importer_for(self.kwargs["kind"])
        return importer.capability if importer else "people.change"

    def get(self, request, *args, **kwargs):
        importer = importer_for(kwargs["kind"])
        if importer is None:
            raise Http404
        response = HttpResponse(
            template_workbook(importer),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="modello-{importer.kind}.xlsx"'
        return response
