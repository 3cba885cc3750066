"""Governance pages: the partnership's bodies, their members and meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, View

from labs.concurrency import ConcurrentEditError
from labs.governance import services
from labs.governance.forms import BodyForm, BodyMemberForm, MeetingForm
from labs.governance.models import Body, BodyMember, Meeting
from labs.scoping import ProjectScopedMixin, private_file_response
from labs.views import RefusalMixin


class BodyListView(ProjectScopedMixin, ListView):
    capability = "governance.view"
    model = Body
    template_name = "labs/governance/body_list.html"
    context_object_name = "bodies"

    def get_queryset(self):
        return self.scoped().annotate(
            member_count=Count("members", distinct=True),
            meeting_count=Count("meetings", distinct=True),
            last_meeting=Max("meetings__date"),
        )


class BodyCreateView(RefusalMixin, ProjectScopedMixin, FormView):
    capability = "governance.change"
    form_class = BodyForm
    template_name = "labs/governance/form.html"
    extra_context = {"title": _("Nuovo organo del partenariato")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def form_valid(self, form):
        try:
            body = services.body_create(project=self.project, **form.cleaned_data)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Organo creato."))
        return redirect("governance:body-detail", self.project.slug, body.pk)


class BodyDetailView(ProjectScopedMixin, DetailView):
    capability = "governance.view"
    model = Body
    template_name = "labs/governance/body_detail.html"
    context_object_name = "body"

    def get_context_data(self, **kwargs):
        members = self.scoped(BodyMember).filter(body=self.object).select_related("organisation")
        meetings = (
            self.scoped(Meeting)
            .filter(body=self.object)
            .annotate(attendee_count=Count("attendees"))
            .order_by("-date", "-pk")
        )
        return super().get_context_data(members=members, meetings=meetings, **kwargs)


class BodyScopedFormMixin(RefusalMixin, ProjectScopedMixin):
    """A form on one body of the project (its pk in the URL)."""

    capability = "governance.change"
    model = Body
    template_name = "labs/governance/form.html"

    def get_body(self) -> Body:
        if not hasattr(self, "_body"):
            self._body = self.get_object(self.scoped().select_related("project"))
        return self._body

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "body": self.get_body(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(body=self.get_body(), **kwargs)


class BodyMemberCreateView(BodyScopedFormMixin, FormView):
    form_class = BodyMemberForm

    def get_context_data(self, **kwargs):
        title = _("Nuovo componente: %(body)s") % {"body": self.get_body()}
        return super().get_context_data(title=title, **kwargs)

    def form_valid(self, form):
        try:
            services.body_member_add(body=self.get_body(), **form.cleaned_data)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Componente aggiunto."))
        return redirect("governance:body-detail", self.project.slug, self.get_body().pk)


class MeetingCreateView(BodyScopedFormMixin, FormView):
    form_class = MeetingForm

    def get_context_data(self, **kwargs):
        title = _("Nuova riunione: %(body)s") % {"body": self.get_body()}
        return super().get_context_data(title=title, **kwargs)

    def form_valid(self, form):
        try:
            meeting = services.meeting_save(
                meeting=form.instance,
                attendees=list(form.cleaned_data["attendees"]),
                upload=form.cleaned_data.get("minutes_upload"),
                actor=self.request.user,
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Riunione registrata."))
        return redirect("governance:meeting-detail", self.project.slug, meeting.pk)


class MeetingMixin(ProjectScopedMixin):
    capability = "governance.view"
    model = Meeting

    def get_queryset(self):
        return self.scoped().select_related("body", "created_by")


class MeetingDetailView(MeetingMixin, DetailView):
    template_name = "labs/governance/meeting_detail.html"
    context_object_name = "meeting"

    def get_context_data(self, **kwargs):
        attendees = (
            self.scoped(BodyMember)
            .filter(meetings=self.object)
            .select_related("organisation")
            .order_by("full_name")
        )
        return super().get_context_data(attendees=attendees, **kwargs)


class MeetingUpdateView(RefusalMixin, MeetingMixin, FormView):
    capability = "governance.change"
    form_class = MeetingForm
    template_name = "labs/governance/form.html"

    def get_meeting(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            self._meeting = self.get_object()
        return self._meeting

    def get_form_kwargs(self):
        meeting = self.get_meeting()
        return {
            **super().get_form_kwargs(),
            "instance": meeting,
            "body": meeting.body,
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs):
        title = _("Modifica la riunione: %(meeting)s") % {"meeting": self.get_meeting()}
        return super().get_context_data(title=title, body=self.get_meeting().body, **kwargs)

    def form_valid(self, form):
        try:
            meeting = services.meeting_save(
                meeting=form.instance,
                attendees=list(form.cleaned_data["attendees"]),
                upload=form.cleaned_data.get("minutes_upload"),
                actor=self.request.user,
                expected_version=form.expected_version(),
            )
        except (ValidationError, ConcurrentEditError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Riunione aggiornata."))
        return redirect("governance:meeting-detail", self.project.slug, meeting.pk)


class MeetingMinutesView(MeetingMixin, View):
    """Serves a meeting's minutes only to users who may see the meeting."""

    def get(self, request, *args, **kwargs):
        meeting = self.get_object()
        return private_file_response(meeting.minutes, meeting.minutes_name or "verbale.pdf")
