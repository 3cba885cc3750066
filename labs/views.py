from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView, View

from . import access
from .models import Activity, Project, Session, SessionEvidence
from .scoping import ProjectScopedMixin


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grants = access.grants_for(self.request.user)
        projects = list(
            Project.objects.visible_to(self.request.user)
            .select_related("lead_organisation", "programme")
            .annotate(lab_count=Count("labs", distinct=True))
        )
        for project in projects:
            project.grant = grants[project.pk]
        context["projects"] = projects
        staff_projects = access.project_ids_for(self.request.user, "activities.view")
        context["sessions_to_record"] = (
            Session.objects.visible_to(self.request.user)
            .filter(
                activity__project_id__in=staff_projects,
                state=Session.State.PLANNED,
                date__lt=timezone.localdate(),
            )
            .count()
        )
        return context


class ActivityListView(ProjectScopedMixin, ListView):
    capability = "activities.view"
    template_name = "labs/activity_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Activity.objects.visible_to(self.request.user)
            .filter(project=self.project)
            .select_related("axis", "organisation", "lab")
            .annotate(
                session_count=Count("sessions", distinct=True),
                held_count=Count("sessions", filter=Q(sessions__state="held"), distinct=True),
            )
            .order_by("axis__order", "name")
        )


class SessionScopedMixin(ProjectScopedMixin):
    capability = "activities.view"

    def get_session(self) -> Session:
        return get_object_or_404(
            Session.objects.visible_to(self.request.user)
            .filter(activity__project=self.project)
            .select_related("activity__axis", "activity__organisation", "lab"),
            pk=self.kwargs["pk"],
        )


class SessionDetailView(SessionScopedMixin, DetailView):
    template_name = "labs/session_detail.html"
    context_object_name = "session"

    def get_object(self, queryset=None):
        return self.get_session()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attendances"] = self.object.attendances.select_related("person").order_by(
            "person__last_name", "person__first_name"
        )
        context["evidence"] = self.object.evidence.all()
        context["can_change"] = self.request.user.has_perm("labs.change_session", self.object)
        return context


class SessionRegisterPdfView(SessionScopedMixin, View):
    """The printable sign-in sheet (foglio firme) of a session: names and hours only."""

    def get(self, request, *args, **kwargs):
        from weasyprint import HTML

        session = self.get_session()
        html = render_to_string(
            "labs/session_register_pdf.html",
            {
                "project": self.project,
                "session": session,
                "attendances": session.attendances.select_related("person").order_by(
                    "person__last_name", "person__first_name"
                ),
            },
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="registro-{session.date:%Y%m%d}-{session.pk}.pdf"'
        )
        return response


class EvidenceDownloadView(SessionScopedMixin, View):
    """Serves an evidence file only to users who may see its session."""

    def get(self, request, *args, **kwargs):
        session = self.get_session()
        evidence = get_object_or_404(SessionEvidence, session=session, pk=kwargs["file_pk"])
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=evidence.original_name)
