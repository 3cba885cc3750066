"""Households: list, create, edit, move, members, arrears, and the diario sociale."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from beneficiaries import services
from beneficiaries.households.forms import (
    ArrearsForm,
    CaseNoteForm,
    HouseholdCreateForm,
    HouseholdForm,
    HouseholdMoveForm,
    MemberAddForm,
    MemberEndForm,
)
from beneficiaries.models import (
    ArrearsRecord,
    CaseNote,
    Household,
    HouseholdMember,
    Person,
    Tenancy,
)
from beneficiaries.repayments import selectors as repayment_selectors
from labs import access
from labs.concurrency import CONCURRENT_EDIT_MESSAGE
from labs.scoping import ProjectScopedMixin, search_param


class HouseholdListView(ProjectScopedMixin, ListView):
    capability = "people.view_sensitive"
    model = Household
    template_name = "beneficiaries/household_list.html"
    context_object_name = "households"
    paginate_by = 50

    def get_queryset(self):
        current = Tenancy.objects.filter(household=OuterRef("pk"), moved_out__isnull=True)
        households = (
            self.scoped()
            .annotate(
                member_count=Count("members", filter=Q(members__end_date__isnull=True)),
                address=Subquery(current.values("unit__building__address")[:1]),
                unit_code=Subquery(current.values("unit__owner_code")[:1]),
            )
            .order_by("code")
        )
        self.search = search_param(self.request)
        if self.search:
            households = households.filter(
                Q(code__icontains=self.search)
                | Q(members__person__last_name__icontains=self.search)
            ).distinct()
        return households

    def get_context_data(self, **kwargs):
        return super().get_context_data(search=self.search, **kwargs)


class HouseholdWriteMixin(ProjectScopedMixin):
    capability = "people.change"
    model = Household
    template_name = "beneficiaries/household_form.html"

    def get_household(self) -> Household:
        if not hasattr(self, "_household"):
            self._household = ProjectScopedMixin.get_object(self)
            self.require_perm("beneficiaries.change_household", self._household)
        return self._household

    def done(self, message):
        messages.success(self.request, message)
        return redirect("households:household-detail", self.project.slug, self.get_household().pk)

    def refuse(self, form, error):
        form.add_error(None, str(error))
        return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "pk" in self.kwargs:
            context["household"] = self.get_household()
        context["heading"] = self.heading
        return context


class HouseholdCreateView(HouseholdWriteMixin, FormView):
    form_class = HouseholdCreateForm
    heading = _("Nuovo nucleo familiare")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "user": self.request.user}

    def form_valid(self, form):
        try:
            household = services.household_create(
                project=self.project,
                actor=self.request.user,
                unit=form.cleaned_data["unit"],
                moved_in=form.cleaned_data["moved_in"],
                **{k: form.cleaned_data[k] for k in ("code", "isee_band", "isee_year", "notes")},
            )
        except ValidationError as error:
            # The flat or the code was taken after the form checked them.
            for field, errors in error.update_error_dict({}).items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Nucleo registrato: ora aggiungi i componenti."))
        return redirect("households:household-detail", self.project.slug, household.pk)


class HouseholdUpdateView(HouseholdWriteMixin, FormView):
    form_class = HouseholdForm
    heading = _("Modifica il nucleo")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_household()}

    def form_valid(self, form):
        try:
            services.versioned_save(
                instance=form.instance, expected_version=form.cleaned_data["version"] or 0
            )
        except services.ConcurrentEditError:
            return self.refuse(form, CONCURRENT_EDIT_MESSAGE)
        return self.done(_("Nucleo salvato."))


class HouseholdMoveView(HouseholdWriteMixin, FormView):
    form_class = HouseholdMoveForm
    heading = _("Trasloco in un altro alloggio")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "user": self.request.user}

    def form_valid(self, form):
        try:
            services.household_move(
                household=self.get_household(), actor=self.request.user, **form.cleaned_data
            )
        except services.HouseholdError as error:
            return self.refuse(form, error)
        return self.done(_("Trasloco registrato."))


class MemberAddView(HouseholdWriteMixin, FormView):
    """Search the project's people first (?cerca=, works without JavaScript), then pick
    one of those found, or type a new person."""

    form_class = MemberAddForm
    heading = _("Aggiungi un componente")
    template_name = "beneficiaries/member_add_form.html"

    def get_form_kwargs(self):
        people = self.scoped(Person)
        search = search_param(self.request, "cerca")
        return {**super().get_form_kwargs(), "people": people, "search": search}

    def form_valid(self, form):
        data = form.cleaned_data
        person = data.get("person") or data["new_person"]
        try:
            services.household_member_add(
                household=self.get_household(),
                person=person,
                relation=data["relation"],
                start_date=data["start_date"],
                actor=self.request.user,
            )
        except services.HouseholdError as error:
            return self.refuse(form, error)
        return self.done(_("Componente aggiunto al nucleo."))


class MemberEndView(HouseholdWriteMixin, FormView):
    form_class = MemberEndForm
    heading = _("Uscita dal nucleo")

    def get_member(self) -> HouseholdMember:
        """The current member of the URL's household; any other id is a 404, on GET too."""
        return access.get_scoped_or_404(
            HouseholdMember,
            self.request.user,
            queryset=self.scoped(HouseholdMember).filter(
                household=self.get_household(), end_date__isnull=True
            ),
            pk=self.kwargs["member_pk"],
        )

    def get(self, request, *args, **kwargs):
        self.get_member()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_member()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        member = self.get_member()
        try:
            services.household_member_end(
                member=member, actor=self.request.user, **form.cleaned_data
            )
        except services.HouseholdError as error:
            return self.refuse(form, error)
        return self.done(_("Uscita dal nucleo registrata."))


class ArrearsCreateView(HouseholdWriteMixin, FormView):
    form_class = ArrearsForm
    heading = _("Registra la situazione di morosità")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "household": self.get_household()}

    def form_valid(self, form):
        form.save()
        return self.done(_("Morosità registrata."))


class HouseholdCaseNoteView(HouseholdWriteMixin, FormView):
    capability = "casenotes.change"
    form_class = CaseNoteForm
    heading = _("Nuova nota del diario sociale")

    def form_valid(self, form):
        services.case_note_add(
            project=self.project,
            author=self.request.user,
            household=self.get_household(),
            **form.cleaned_data,
        )
        return self.done(_("Nota aggiunta al diario sociale."))


class HouseholdDetailView(ProjectScopedMixin, DetailView):
    capability = "people.view_sensitive"
    model = Household
    template_name = "beneficiaries/household_detail.html"
    context_object_name = "household"

    def get_queryset(self):
        return self.scoped().prefetch_related(
            Prefetch("members", self.scoped(HouseholdMember).select_related("person")),
            Prefetch("tenancies", self.scoped(Tenancy).select_related("unit__building")),
            Prefetch("arrears", self.scoped(ArrearsRecord)),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case_notes"] = (
            self.scoped(CaseNote).filter(household=self.object).select_related("author")
        )
        context["repayment_plans"] = repayment_selectors.plans_for(
            self.request.user, self.project
        ).filter(household=self.object)
        return context
