"""Suspected duplicates: reviewed by social workers, linked reversibly, never merged."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from beneficiaries import services
from beneficiaries.models import Person, PersonLink
from beneficiaries.people import selectors
from labs import access
from labs.scoping import ProjectScopedMixin


class DuplicateListView(ProjectScopedMixin, TemplateView):
    capability = "people.change"
    template_name = "beneficiaries/duplicate_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pairs"] = selectors.suspected_duplicates(self.request.user, self.project)
        context["links"] = (
            self.scoped(PersonLink)
            .filter(unlinked_at__isnull=True)
            .select_related("person", "same_as", "linked_by")
        )
        return context


class PersonLinkView(ProjectScopedMixin, View):
    capability = "people.change"

    def post(self, request, *args, **kwargs):
        ids = [request.POST.get("person", ""), request.POST.get("same_as", "")]
        note = request.POST.get("note", "")
        # A tampered form: ids are never anything but ASCII digits ("²".isdigit() is
        # True), and no text typed in a browser holds a NUL byte.
        if not all(value.isascii() and value.isdigit() for value in ids) or "\x00" in note:
            raise Http404
        person = access.get_scoped_or_404(Person, request.user, self.project, pk=ids[0])
        same_as = access.get_scoped_or_404(Person, request.user, self.project, pk=ids[1])
        try:
            services.person_link(
                person=person,
                same_as=same_as,
                actor=request.user,
                note=note[:250],
            )
        except services.HouseholdError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Le due schede sono collegate come la stessa persona."))
        return redirect("people:duplicate-list", self.project.slug)


class PersonUnlinkView(ProjectScopedMixin, View):
    capability = "people.change"
    model = PersonLink

    def post(self, request, *args, **kwargs):
        link = self.get_object(self.scoped().filter(unlinked_at__isnull=True))
        services.person_unlink(link=link, actor=request.user)
        messages.success(request, _("Collegamento annullato."))
        return redirect("people:duplicate-list", self.project.slug)
