from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView, View

from beneficiaries import services
from beneficiaries.households.forms import CaseNoteForm
from beneficiaries.models import Attendance, CaseNote, HouseholdMember, Path, Person
from beneficiaries.people import selectors
from beneficiaries.people.filters import PersonFilter
from beneficiaries.people.forms import ConsentForm, PersonCreateForm, PersonForm
from labs.concurrency import CONCURRENT_EDIT_MESSAGE
from labs.exports import csv_response, xlsx_response
from labs.scoping import ProjectScopedMixin, search_param

# What a partner operator may know of a person: name and contact. Nothing else.
PARTNER_COLUMNS = [
    ("last_name", _("Cognome")),
    ("first_name", _("Nome")),
    ("phone", _("Telefono")),
    ("email", _("E-mail")),
]
STAFF_COLUMNS = PARTNER_COLUMNS + [
    ("tax_code", _("Codice fiscale")),
    ("birth_date", _("Data di nascita")),
    ("sex", _("Sesso")),
    ("citizenship", _("Cittadinanza")),
]


class PersonScopedMixin(ProjectScopedMixin):
    capability = "people.view"
    model = Person

    def get_person(self) -> Person:
        """The URL's person, for a change: 404 unless the user may change them."""
        if not hasattr(self, "_person"):
            self._person = ProjectScopedMixin.get_object(self)
            self.require_perm("beneficiaries.change_person", self._person)
        return self._person


class PersonListView(PersonScopedMixin, ListView):
    template_name = "beneficiaries/person_list.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self):
        self.search = search_param(self.request)
        people = selectors.people_for(
            self.request.user,
            self.project,
            self.search,
            sensitive=self.can("people.view_sensitive"),
        )
        if not self.can("people.view_sensitive"):
            self.filterset = None  # filters reveal households and paths: staff only
            return people
        self.filterset = PersonFilter(
            self.request.GET or None, queryset=people, project=self.project, user=self.request.user
        )
        return self.filterset.qs if self.filterset.is_bound else people

    def paginate_queryset(self, queryset, page_size):
        # Count and page the people first; the privacy notice is read for the page only.
        paginator, page, people, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = selectors.page_of_people(
            people, sensitive=self.can("people.view_sensitive")
        )
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search"] = self.search
        context["filter"] = self.filterset
        return context


class PersonDetailView(PersonScopedMixin, DetailView):
    template_name = "beneficiaries/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        person = super().get_object(self.scoped().prefetch_related("consents"))
        self.privacy_notice = selectors.privacy_notice_state(person)
        if self.can("people.view_sensitive"):
            return person
        # Name and contact only leave the server for a role without sensitive access.
        return selectors.PersonContact.of(person)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["privacy_notice"] = self.privacy_notice
        if self.can("people.view_sensitive"):
            services.sensitive_access_record(
                user=self.request.user,
                person=person,
                project=self.project,
                what=gettext_noop("scheda persona"),
            )
            context["memberships"] = (
                self.scoped(HouseholdMember).filter(person=person).select_related("household")
            )
            context["paths"] = self.scoped(Path).filter(person=person).select_related("axis")
            context["case_notes"] = (
                self.scoped(CaseNote).filter(person=person).select_related("author")
            )
            context["can_change"] = self.request.user.has_perm(
                "beneficiaries.change_person", person
            )
        context["attendances"] = (
            self.scoped(Attendance)
            .filter(person_id=person.pk)
            .select_related("session__activity")
            .order_by("-session__date")[:50]
        )
        return context


class PersonUpdateView(PersonScopedMixin, UpdateView):
    capability = "people.change"
    form_class = PersonForm
    template_name = "beneficiaries/person_form.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return self.get_person()

    def form_valid(self, form):
        try:
            services.versioned_save(
                instance=form.instance, expected_version=form.cleaned_data["version"] or 0
            )
        except services.ConcurrentEditError:
            form.add_error(None, CONCURRENT_EDIT_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, _("Dati della persona salvati."))
        return redirect("people:person-detail", self.project.slug, form.instance.pk)


class PersonCreateView(PersonScopedMixin, FormView):
    """New person in the project; similar records are shown before saving."""

    capability = "people.change"
    form_class = PersonCreateForm
    template_name = "beneficiaries/person_form.html"

    def form_valid(self, form):
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in ("version", "not_a_duplicate")
        }
        duplicates = services.person_duplicates(
            people=self.scoped(),
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            tax_code=data.get("tax_code") or "",
        )
        same_code = [
            p for p in duplicates if data.get("tax_code") and p.tax_code == data["tax_code"]
        ]
        if same_code or (duplicates and not form.cleaned_data["not_a_duplicate"]):
            return self.render_to_response(
                self.get_context_data(form=form, duplicates=duplicates, same_code=same_code)
            )
        person = services.person_create(
            project=self.project,
            actor=self.request.user,
            data=data,
            registered_on=timezone.localdate(),
        )
        messages.success(self.request, _("Persona registrata nel progetto."))
        return redirect("people:person-detail", self.project.slug, person.pk)

    def form_invalid(self, form):
        """A codice fiscale already in the portal: when the names and birth date typed are
        those of the record, offer to enrol that person here instead of a new record."""
        same_code = self.same_code_here(form)
        if same_code:
            return self.render_to_response(self.get_context_data(form=form, same_code=same_code))
        known = self.known_elsewhere(form)
        if known is None:
            return super().form_invalid(form)
        if "enrol_existing" in self.request.POST:
            services.person_enrol_existing(
                project=self.project,
                actor=self.request.user,
                person=known,
                registered_on=timezone.localdate(),
            )
            messages.success(
                self.request, _("Persona già presente nel portale iscritta a questo progetto.")
            )
            return redirect("people:person-detail", self.project.slug, known.pk)
        return self.render_to_response(self.get_context_data(form=form, known_elsewhere=True))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context.get("duplicates"):
            # "None of the similar people" means something only under the list of them.
            context["form"].fields.pop("not_a_duplicate", None)
        return context

    def same_code_here(self, form):
        from partners.validators import normalise_code

        code = normalise_code(form.data.get("tax_code", ""))
        # Only a well-formed code can be someone's (PostgreSQL refuses a NUL in a query).
        if "tax_code" not in form.errors or not code.isascii() or not code.isalnum():
            return []
        return list(self.scoped().filter(tax_code=code))

    def known_elsewhere(self, form):
        if set(form.errors) != {"tax_code"}:
            return None
        data = form.cleaned_data
        return services.person_known_elsewhere(
            project=self.project,
            tax_code=form.data.get("tax_code", ""),
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
        )


class ConsentCreateView(PersonScopedMixin, CreateView):
    capability = "people.change"
    form_class = ConsentForm
    template_name = "beneficiaries/consent_form.html"

    def form_valid(self, form):
        services.consent_record(
            person=self.get_person(), actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("Consenso registrato."))
        return redirect("people:person-detail", self.project.slug, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.get_person()
        return context


class PersonExportView(PersonScopedMixin, View):
    """The people list as CSV or XLSX, with only the columns the user may see."""

    def get(self, request, *args, **kwargs):
        columns = STAFF_COLUMNS if self.can("people.view_sensitive") else PARTNER_COLUMNS
        fields = [f for f, _label in columns]
        header = [label for _f, label in columns]
        rows = selectors.people_for(request.user, self.project).values_list(*fields)
        filename = f"persone-{self.project.slug}.{kwargs['fmt']}"
        if kwargs["fmt"] == "xlsx":
            return xlsx_response(filename, _("Persone"), header, rows.iterator())
        return csv_response(filename, header, rows.iterator())


class PersonCaseNoteView(PersonScopedMixin, FormView):
    capability = "casenotes.change"
    form_class = CaseNoteForm
    template_name = "beneficiaries/household_form.html"

    def get_person(self) -> Person:
        if not hasattr(self, "_person"):
            self._person = ProjectScopedMixin.get_object(self)
        return self._person

    def form_valid(self, form):
        services.case_note_add(
            project=self.project,
            author=self.request.user,
            person=self.get_person(),
            **form.cleaned_data,
        )
        messages.success(self.request, _("Nota aggiunta al diario sociale."))
        return redirect("people:person-detail", self.project.slug, self.get_person().pk)

    def get_context_data(self, **kwargs):
        heading = _("Nuova nota del diario sociale: %(p)s") % {"p": self.get_person()}
        return super().get_context_data(heading=heading, **kwargs)
