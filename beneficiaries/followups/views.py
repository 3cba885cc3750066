"""The six-month follow-up: the project's worklist (due, overdue, out of window) and
recording a contact attempt. Lead and social workers only: names and outcomes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from beneficiaries.followups import selectors
from beneficiaries.followups.forms import FollowupContactForm
from beneficiaries.models import FollowupContact, Path
from labs.scoping import ProjectScopedMixin


class FollowupListView(ProjectScopedMixin, TemplateView):
    capability = "followups.view"
    template_name = "beneficiaries/followup_list.html"

    paginate_by = 50

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        paths = self.scoped(Path)
        # Pages of 50 like every list (it showed the first 500 rows on one page: 140 ms of
        # template for a project with 800 closed paths).
        page = Paginator(selectors.worklist(paths, today), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            rows=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            rate=selectors.response_rate(paths, today),
            today=today,
            upcoming_days=selectors.UPCOMING_DAYS,
            can_change=self.can("followups.change"),
            **kwargs,
        )


class FollowupContactCreateView(ProjectScopedMixin, FormView):
    capability = "followups.change"
    model = Path
    form_class = FollowupContactForm
    template_name = "beneficiaries/followup_contact_form.html"

    def get_path(self) -> Path:
        if not hasattr(self, "_path"):
            self._path = self.get_object(self.scoped().select_related("person"))
        return self._path

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "path": self.get_path()}

    def get_context_data(self, **kwargs):
        path = self.get_path()
        contacts = selectors.contacts_of(self.scoped(FollowupContact).filter(path=path))
        return super().get_context_data(path=path, contacts=contacts, **kwargs)

    def form_valid(self, form):
        contact = form.save(commit=False)
        contact.path = self.get_path()
        contact.recorded_by = self.request.user
        contact.save()
        messages.success(self.request, _("Tentativo di contatto registrato."))
        return redirect("followups:followup-list", self.project.slug)
