"""Printable records (schede) of a person and of a household, as PDF.

Project leads and social workers only: a partner operator gets 404 even for a person they
may otherwise see. Every opening is written to the sensitive-access log.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_noop
from django.views.generic import View

from beneficiaries import services
from beneficiaries.models import Household, Person
from beneficiaries.records import selectors as record_selectors
from labs.scoping import ProjectScopedMixin


class RecordPdfMixin(ProjectScopedMixin):
    capability = "people.view_sensitive"
    template_name: str

    def render_pdf(self, context: dict, filename: str) -> HttpResponse:
        from weasyprint import HTML

        context = {
            **context,
            "project": self.project,
            "printed_at": timezone.localtime(),
            "printed_by": self.request.user,
        }
        html = render_to_string(self.template_name, context, request=self.request)
        pdf = HTML(string=html, base_url=self.request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        # Personal data: not to be kept by the browser or any proxy.
        response["Cache-Control"] = "no-store, private"
        return response


class PersonRecordPdfView(RecordPdfMixin, View):
    model = Person
    template_name = "beneficiaries/record_person_pdf.html"

    def get(self, request, *args, **kwargs):
        person = self.get_object(self.scoped(Person).prefetch_related("consents"))
        services.sensitive_access_record(
            user=request.user, person=person, project=self.project, what=gettext_noop("scheda PDF")
        )
        context = record_selectors.person_record(request.user, self.project, person)
        return self.render_pdf(context, f"scheda-persona-{person.pk}.pdf")


class HouseholdRecordPdfView(RecordPdfMixin, View):
    model = Household
    template_name = "beneficiaries/record_household_pdf.html"

    def get(self, request, *args, **kwargs):
        household = self.get_object(self.scoped(Household))
        context = record_selectors.household_record(request.user, self.project, household)
        # The record shows every member's personal data: log an access for each of them.
        people = {member.person.pk: member.person for member in context["members"]}
        for person in people.values():
            services.sensitive_access_record(
                user=request.user,
                person=person,
                project=self.project,
                what=gettext_noop("scheda PDF del nucleo") + " " + household.code,
            )
        return self.render_pdf(context, f"scheda-nucleo-{household.pk}.pdf")
