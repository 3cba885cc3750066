"""Équipe case reviews of a path, and the reviews that are due. Only for the roles that
see a path's sensitive data (project lead, social worker)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView

from beneficiaries.models import Path
from beneficiaries.reviews import services
from beneficiaries.reviews.forms import CaseReviewForm
from beneficiaries.reviews.models import CaseReview
from labs.governance.models import BodyMember
from labs.scoping import ProjectScopedMixin
from labs.views import RefusalMixin


class PathScopedMixin(ProjectScopedMixin):
    model = Path

    def get_path(self) -> Path:
        if not hasattr(self, "_path"):
            self._path = self.get_object(self.scoped().select_related("person", "axis"))
        return self._path


class PathReviewListView(PathScopedMixin, ListView):
    capability = "people.view_sensitive"
    template_name = "beneficiaries/review_list.html"
    context_object_name = "reviews"

    def get_queryset(self):
        return (
            self.scoped(CaseReview)
            .filter(path=self.get_path())
            .select_related("body", "created_by")
            .order_by("-date", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(path=self.get_path(), **kwargs)
        names: dict[int, list[str]] = {}
        members = self.scoped(BodyMember).filter(case_reviews__in=context["reviews"])
        for review_id, name in members.values_list("case_reviews", "full_name"):
            names.setdefault(review_id, []).append(name)
        for review in context["reviews"]:
            review.participant_names = sorted(names.get(review.pk, []))
        context["can_change"] = self.can("casereviews.change")
        return context


class CaseReviewCreateView(RefusalMixin, PathScopedMixin, FormView):
    capability = "casereviews.change"
    form_class = CaseReviewForm
    template_name = "beneficiaries/review_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "path": self.get_path(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(path=self.get_path(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.case_review_record(path=self.get_path(), actor=self.request.user, **data)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Verifica registrata."))
        return redirect("reviews:path-reviews", self.project.slug, self.get_path().pk)


class DueReviewListView(ProjectScopedMixin, ListView):
    capability = "people.view_sensitive"
    template_name = "beneficiaries/review_due.html"
    context_object_name = "reviews"
    paginate_by = 50

    def get_queryset(self):
        self.today = timezone.localdate()
        return services.reviews_due(self.scoped(CaseReview), self.today)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=self.today, **kwargs)
