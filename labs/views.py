import calendar
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from . import access, selectors, services
from .filters import ResidentReportFilter, SessionFilter, month_end, parse_month
from .forms import (
    ActivityForm,
    EvidenceForm,
    PeriodForm,
    PeriodReopenForm,
    ResidentReportForm,
    ResidentReportUpdateForm,
    SessionCancelForm,
    SessionForm,
    SessionSeriesForm,
)
from .models import Activity, Project, ReportingPeriod, ResidentReport, Session, SessionEvidence
from .scoping import ProjectScopedMixin, private_file_response

# With a context: "mar" alone is also Django's March (date filter "M").
WEEKDAY_NAMES = [
    pgettext_lazy("giorno della settimana", "lun"),
    pgettext_lazy("giorno della settimana", "mar"),
    pgettext_lazy("giorno della settimana", "mer"),
    pgettext_lazy("giorno della settimana", "gio"),
    pgettext_lazy("giorno della settimana", "ven"),
    pgettext_lazy("giorno della settimana", "sab"),
    pgettext_lazy("giorno della settimana", "dom"),
]


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grants = access.grants_for(self.request.user)
        projects = list(
            access.scoped(Project, self.request.user)
            .select_related("lead_organisation", "programme")
            .annotate(lab_count=Count("labs", distinct=True))
        )
        for project in projects:
            project.grant = grants[project.pk]
        context["projects"] = projects
        context["sessions_to_record"] = selectors.sessions_to_record(self.request.user)
        context["registers_to_validate"] = selectors.registers_to_validate(self.request.user)
        return context


class ActivityListView(ProjectScopedMixin, ListView):
    capability = "activities.view"
    model = Activity
    template_name = "labs/activity_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            self.scoped()
            .select_related("axis", "organisation", "lab")
            .annotate(
                session_count=Count("sessions", distinct=True),
                held_count=Count("sessions", filter=Q(sessions__state="held"), distinct=True),
            )
            .order_by("axis__order", "name")
        )


class RefusalMixin:
    """Show a change the rules refused above the form, keeping what was typed."""

    def refuse(self, form, error: Exception):
        form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        return self.form_invalid(form)


class ActivityFormMixin(RefusalMixin, ProjectScopedMixin):
    capability = "activities.change_all"
    model = Activity
    form_class = ActivityForm
    template_name = "labs/activity_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "user": self.request.user}

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Attività salvata."))
        return redirect("labs:activity-list", self.project.slug)


class ActivityCreateView(ActivityFormMixin, FormView):
    def save(self, form):
        services.activity_create(
            project=self.project, actor=self.request.user, data=form.cleaned_data
        )


class ActivityUpdateView(ActivityFormMixin, FormView):
    def get_activity(self) -> Activity:
        activity = self.get_object()
        self.require_perm("labs.change_activity", activity)
        return activity

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_activity()}

    def save(self, form):
        services.activity_update(
            activity=form.instance, actor=self.request.user, data=form.cleaned_data
        )


class SessionScopedMixin(RefusalMixin, ProjectScopedMixin):
    """A page about one session; ``perm`` (if set) is the object permission it needs."""

    capability = "activities.view"
    model = Session
    perm: str | None = None

    def get_session(self) -> Session:
        if not hasattr(self, "_session"):
            self._session = selectors.session_or_404(
                self.request.user, self.project, self.kwargs["pk"], perm=self.perm
            )
        return self._session

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.get_session(), **kwargs)


class SessionListView(ProjectScopedMixin, ListView):
    """The project's sessions, filtered and paginated; constant queries (see tests)."""

    capability = "activities.view"
    template_name = "labs/session_list.html"
    context_object_name = "sessions"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = SessionFilter(
            self.request.GET or None,
            queryset=selectors.sessions_for(self.request.user, self.project),
            project=self.project,
            user=self.request.user,
        )
        return self.filterset.qs.order_by("-date", "-start_time", "-pk")

    def paginate_queryset(self, queryset, page_size):
        # Count and page the plain sessions first; only the page's rows get the figures.
        paginator, page, sessions, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = selectors.with_list_figures(sessions)
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class SessionCalendarView(ProjectScopedMixin, TemplateView):
    """A month as a grid of weeks, with the filters of the list."""

    capability = "activities.view"
    template_name = "labs/session_calendar.html"

    def get_context_data(self, **kwargs):
        first = parse_month(self.request.GET.get("month")) or selectors.calendar_default_month(
            self.project, timezone.localdate()
        )
        data = self.request.GET.copy()
        data["month"] = f"{first:%Y-%m}"
        filterset = SessionFilter(
            data,
            queryset=selectors.sessions_for(self.request.user, self.project).select_related(
                "activity"
            ),
            project=self.project,
            user=self.request.user,
        )
        by_day: dict = {}
        for session in filterset.qs:
            by_day.setdefault(session.date, []).append(session)
        weeks = [
            [(day, day.month == first.month, by_day.get(day, [])) for day in week]
            for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
        ]
        return super().get_context_data(
            filter=filterset,
            month=first,
            weeks=weeks,
            weekday_names=WEEKDAY_NAMES,
            today=timezone.localdate(),
            previous_month=f"{first - dt.timedelta(days=1):%Y-%m}",
            next_month=f"{month_end(first) + dt.timedelta(days=1):%Y-%m}",
            **kwargs,
        )


class SessionFormMixin(RefusalMixin, ProjectScopedMixin):
    """Session forms offer only the activities whose sessions the user may change."""

    capability = "sessions.change"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "user": self.request.user}

    def get_initial(self):
        initial = {"date": timezone.localdate(), "operators": [self.request.user.pk]}
        activity = self.request.GET.get("activity", "")
        wanted = activity.isascii() and activity.isdigit()
        return {**initial, "activity": activity} if wanted else initial


class SessionCreateView(SessionFormMixin, FormView):
    form_class = SessionForm
    template_name = "labs/session_form.html"

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            session = services.session_create(actor=self.request.user, **data)
        except (services.SessionError, ValidationError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Incontro creato."))
        # A session that has begun goes straight to its register.
        if session.starts_at <= timezone.now():
            return redirect("registers:register-edit", self.project.slug, session.pk)
        return redirect("labs:session-detail", self.project.slug, session.pk)


class SessionSeriesCreateView(SessionFormMixin, FormView):
    form_class = SessionSeriesForm
    template_name = "labs/session_form.html"
    extra_context = {"series": True}

    def form_valid(self, form):
        try:
            sessions = services.session_series_create(actor=self.request.user, **form.cleaned_data)
        except services.SessionError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Creati %(n)s incontri.") % {"n": len(sessions)})
        list_url = reverse("labs:session-list", args=[self.project.slug])
        return redirect(f"{list_url}?activity={sessions[0].activity_id}")


class SessionUpdateView(SessionFormMixin, SessionScopedMixin, FormView):
    perm = "labs.change_session"
    form_class = SessionForm
    template_name = "labs/session_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_session()}

    def get_initial(self):
        return {}

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "activity")}
        try:
            services.session_update(
                session=form.instance,
                actor=self.request.user,
                expected_version=form.cleaned_data["version"] or 0,
                data=data,
            )
        except services.SessionError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Incontro salvato."))
        return redirect("labs:session-detail", self.project.slug, form.instance.pk)


class SessionCancelView(SessionScopedMixin, FormView):
    capability = "sessions.change"
    perm = "labs.change_session"
    form_class = SessionCancelForm
    template_name = "labs/session_cancel_form.html"

    def get_initial(self):
        return {"version": self.get_session().version}

    def form_valid(self, form):
        try:
            services.session_cancel(
                session=self.get_session(),
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except services.SessionError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Incontro segnato come non svolto."))
        return redirect("labs:session-detail", self.project.slug, self.get_session().pk)


class SessionDetailView(SessionScopedMixin, DetailView):
    template_name = "labs/session_detail.html"
    context_object_name = "session"

    def get_object(self, queryset=None):
        return self.get_session()

    def get_context_data(self, **kwargs):
        session, user = self.object, self.request.user
        return super().get_context_data(
            attendances=session.attendances.select_related("person").order_by(
                "person__last_name", "person__first_name"
            ),
            evidence=session.evidence.select_related("uploaded_by"),
            corrections=session.register_corrections.select_related("corrected_by"),
            locked=ReportingPeriod.objects.closed_on(
                session.activity.project_id, session.date
            ).exists(),
            can_change=user.has_perm("labs.change_session", session),
            can_validate=user.has_perm("labs.validate_session", session),
            started=session.starts_at <= timezone.now(),
            **kwargs,
        )


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


class EvidenceUploadView(SessionScopedMixin, FormView):
    capability = "sessions.change"
    perm = "labs.change_session"
    form_class = EvidenceForm
    template_name = "labs/evidence_form.html"

    def form_valid(self, form):
        try:
            services.evidence_add(
                session=self.get_session(),
                actor=self.request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except services.SessionError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Documento caricato."))
        return redirect("labs:session-detail", self.project.slug, self.get_session().pk)


class EvidenceDownloadView(SessionScopedMixin, View):
    """Serves an evidence file only to users who may see its session."""

    def get(self, request, *args, **kwargs):
        session = self.get_session()
        evidence = access.get_scoped_or_404(
            SessionEvidence,
            request.user,
            queryset=self.scoped(SessionEvidence).filter(session=session),
            pk=kwargs["file_pk"],
        )
        return private_file_response(evidence.file, evidence.original_name)


# ---- Residents' reports ---------------------------------------------------------------


class ResidentReportMixin(RefusalMixin, ProjectScopedMixin):
    capability = "activities.view"
    model = ResidentReport

    def get_queryset(self):
        return self.scoped().select_related("building", "unit", "assigned_to", "created_by")

    def get_report(self, perm: str | None = None) -> ResidentReport:
        report = ProjectScopedMixin.get_object(self)
        if perm:
            self.require_perm(perm, report)
        return report


class ResidentReportListView(ResidentReportMixin, ListView):
    template_name = "labs/resident_report_list.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = ResidentReportFilter(
            self.request.GET or None,
            queryset=super().get_queryset(),
            project=self.project,
            user=self.request.user,
        )
        return self.filterset.qs.order_by("-opened_on", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            figures=selectors.resident_report_figures(self.project),
            **kwargs,
        )


class ResidentReportCreateView(ResidentReportMixin, FormView):
    capability = "resident_reports.change"
    form_class = ResidentReportForm
    template_name = "labs/resident_report_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "user": self.request.user}

    def get_initial(self):
        return {"opened_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            report = services.resident_report_create(
                project=self.project, actor=self.request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Segnalazione registrata."))
        return redirect("labs:resident-report-detail", self.project.slug, report.pk)


class ResidentReportDetailView(ResidentReportMixin, DetailView):
    template_name = "labs/resident_report_detail.html"
    context_object_name = "report"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            history=self.object.history.select_related("history_user", "assigned_to"),
            can_change=self.request.user.has_perm("labs.change_residentreport", self.object),
            **kwargs,
        )


class ResidentReportUpdateView(ResidentReportMixin, FormView):
    capability = "resident_reports.change"
    form_class = ResidentReportUpdateForm
    template_name = "labs/resident_report_form.html"

    def setup_report(self):
        if not hasattr(self, "report"):
            self.report = self.get_report("labs.change_residentreport")
        return self.report

    def get_form_kwargs(self):
        report = self.setup_report()
        return {
            **super().get_form_kwargs(),
            "project": self.project,
            "user": self.request.user,
            "instance": report,
        }

    def form_valid(self, form):
        try:
            services.resident_report_update(
                report=self.report, actor=self.request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Segnalazione aggiornata."))
        return redirect("labs:resident-report-detail", self.project.slug, self.report.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.setup_report(), **kwargs)


# ---- Reporting periods ---------------------------------------------------------------


class PeriodMixin(RefusalMixin, ProjectScopedMixin):
    capability = "periods.close"
    model = ReportingPeriod

    def get_period(self) -> ReportingPeriod:
        period = self.get_object()
        self.require_perm("labs.change_reportingperiod", period)
        return period

    def done(self, message):
        messages.success(self.request, message)
        return redirect("labs:period-list", self.project.slug)


class PeriodListView(PeriodMixin, ListView):
    template_name = "labs/period_list.html"
    context_object_name = "periods"

    def get_queryset(self):
        return self.project.periods.select_related("closed_by", "reopened_by").order_by(
            "start_date"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=PeriodForm(project=self.project), **kwargs)


class PeriodCreateView(PeriodMixin, FormView):
    form_class = PeriodForm
    template_name = "labs/period_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def form_valid(self, form):
        try:
            services.period_create(
                project=self.project, actor=self.request.user, **form.cleaned_data
            )
        except (services.SessionError, ValidationError) as error:
            return self.refuse(form, error)
        return self.done(_("Periodo creato."))


class PeriodCloseView(PeriodMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            period = services.period_close(period=self.get_period(), actor=request.user)
        except services.SessionError as error:
            messages.error(request, str(error))
            return redirect("labs:period-list", self.project.slug)
        return self.done(_("Periodo «%(p)s» chiuso.") % {"p": period.name})


class PeriodReopenView(PeriodMixin, FormView):
    form_class = PeriodReopenForm
    template_name = "labs/period_form.html"

    def form_valid(self, form):
        try:
            period = services.period_reopen(
                period=self.get_period(), actor=self.request.user, **form.cleaned_data
            )
        except services.SessionError as error:
            return self.refuse(form, error)
        return self.done(_("Periodo «%(p)s» riaperto.") % {"p": period.name})

    def get_context_data(self, **kwargs):
        return super().get_context_data(period=self.get_period(), **kwargs)
