"""Pages of a session's attendance register: fill or correct it, validate it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View

from beneficiaries.registers import services as registers
from beneficiaries.registers.forms import RegisterForm
from labs import selectors
from labs.models import Session
from labs.scoping import ProjectScopedMixin, search_param
from labs.services import SessionError


class RegisterView(ProjectScopedMixin, FormView):
    """Fill the register of a session that has begun. A validated register opens as a
    correction, for those who may validate it; the others are sent back to the session."""

    capability = "sessions.change"
    model = Session
    form_class = RegisterForm
    template_name = "beneficiaries/register_form.html"

    def get(self, request, *args, **kwargs):
        return self.send_back_if_read_only() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.send_back_if_read_only() or super().post(request, *args, **kwargs)

    def send_back_if_read_only(self):
        """Load the session; a validated register that the user may not correct sends
        them back to the session page."""
        self.session = selectors.session_or_404(
            self.request.user, self.project, self.kwargs["pk"], perm="labs.change_session"
        )
        self.correcting = self.session.validated_at is not None
        if not self.correcting or self.request.user.has_perm("labs.validate_session", self.session):
            return None
        messages.info(
            self.request,
            _("Il registro è validato: per correggerlo rivolgiti a chi lo ha validato."),
        )
        return redirect("labs:session-detail", self.project.slug, self.session.pk)

    @property
    def search(self) -> str:
        return search_param(self.request, "cerca")

    @property
    def everyone(self) -> bool:
        return self.request.GET.get("tutti") == "1"

    @cached_property
    def pool(self):
        """Everyone the user may register (an unevaluated queryset, composed once)."""
        return registers.register_pool(user=self.request.user, session=self.session)

    @cached_property
    def found(self) -> list[int]:
        return registers.register_search(
            user=self.request.user, session=self.session, search=self.search, pool=self.pool
        )

    def get_form_kwargs(self):
        user, session = self.request.user, self.session
        # The rows: who is on the register, the usual participants, the people ticked in
        # the form being posted and the people found by a search (?cerca=); everyone in
        # the project with ?tutti=1.
        ticked = [
            pk for pk in self.request.POST.getlist("present") if pk.isascii() and pk.isdigit()
        ]
        include = [*self.found[: registers.REGISTER_SEARCH_LIMIT], *map(int, ticked)]
        return {
            **super().get_form_kwargs(),
            "session": session,
            "people": registers.register_candidates(
                user=user, session=session, include=include, everyone=self.everyone, pool=self.pool
            ),
            "pool": self.pool,
            "current": registers.register_lines(session),
            "correcting": self.correcting,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        common = {
            "session": self.session,
            "actor": self.request.user,
            "lines": data["lines"],
            "head_count": data["head_count"],
            "expected_version": data["version"],
            "token": data["token"],
        }
        try:
            if self.correcting:
                result = registers.register_correct(**common, reason=data["reason"])
            else:
                enrol = data.get("enrol_present", False)
                result = registers.register_save(**common, enrol_present=enrol)
        except SessionError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if result.duplicate:
            messages.info(self.request, _("Il registro era già stato salvato."))
        else:
            messages.success(self.request, _("Registro salvato."))
        return redirect("labs:session-detail", self.project.slug, self.session.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            session=self.session,
            search=self.search,
            everyone=self.everyone,
            found_count=min(len(self.found), registers.REGISTER_SEARCH_LIMIT),
            found_more=len(self.found) > registers.REGISTER_SEARCH_LIMIT,
        )


class RegisterValidateView(ProjectScopedMixin, View):
    """POST only: the project lead (or the partner's coordinator) validates a register."""

    capability = "registers.validate"
    model = Session
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = selectors.session_or_404(
            request.user, self.project, kwargs["pk"], perm="labs.validate_session"
        )
        version = request.POST.get("version", "")
        try:
            registers.register_validate(
                session=session,
                actor=request.user,
                expected_version=int(version) if version.isascii() and version.isdigit() else 0,
            )
        except SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Registro validato."))
        return redirect("labs:session-detail", self.project.slug, session.pk)
