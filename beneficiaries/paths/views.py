"""Individual paths: open with the ESF entry profile, close with the exit outcome, and
record the 6-month follow-up."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from beneficiaries import services
from beneficiaries.models import Path, Person
from beneficiaries.paths.forms import PathCreateForm, PathExitForm, PathFollowupForm
from labs.concurrency import CONCURRENT_EDIT_MESSAGE
from labs.scoping import ProjectScopedMixin


class PathCreateView(ProjectScopedMixin, FormView):
    capability = "people.change"
    model = Person
    form_class = PathCreateForm
    template_name = "beneficiaries/path_form.html"
    heading = _("Apri un percorso individuale")

    def get_person(self) -> Person:
        person = self.get_object()
        self.require_perm("beneficiaries.change_person", person)
        return person

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs["user"] = self.request.user
        kwargs["instance"] = Path(person=self.get_person(), tutor=self.request.user)
        return kwargs

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Percorso aperto."))
        return redirect("people:person-detail", self.project.slug, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.get_person(), heading=self.heading, **kwargs)


class PathUpdateMixin(ProjectScopedMixin):
    capability = "people.change"
    model = Path
    template_name = "beneficiaries/path_form.html"

    def get_path(self) -> Path:
        if not hasattr(self, "_path"):
            self._path = ProjectScopedMixin.get_object(self, self.scoped().select_related("person"))
            self.require_perm("beneficiaries.change_path", self._path)
        return self._path

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_path()}

    def form_valid(self, form):
        try:
            services.versioned_save(
                instance=form.instance, expected_version=form.cleaned_data["version"] or 0
            )
        except services.ConcurrentEditError:
            form.add_error(None, CONCURRENT_EDIT_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("people:person-detail", self.project.slug, self.get_path().person_id)

    def get_context_data(self, **kwargs):
        path = self.get_path()
        return super().get_context_data(person=path.person, heading=self.heading, **kwargs)


class PathExitView(PathUpdateMixin, FormView):
    form_class = PathExitForm
    heading = _("Chiudi il percorso")
    success_message = _("Percorso chiuso.")


class PathFollowupView(PathUpdateMixin, FormView):
    form_class = PathFollowupForm
    heading = _("Rilevazione a 6 mesi dall'uscita")
    success_message = _("Rilevazione registrata.")
