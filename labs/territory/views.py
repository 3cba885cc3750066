"""Territory pages (read-only): the project's neighbourhoods and buildings, a building's
units and the households of the project living in them. Staff only (territory.view)."""

from django.views.generic import DetailView, TemplateView

from labs.scoping import ProjectScopedMixin
from labs.territory import selectors
from labs.territory.models import Building


class TerritoryView(ProjectScopedMixin, TemplateView):
    capability = "territory.view"
    template_name = "beneficiaries/territory.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["territory"] = selectors.project_territory(self.request.user, self.project)
        return context


class BuildingDetailView(ProjectScopedMixin, DetailView):
    """A building of the project's territory; any other building is a 404."""

    capability = "territory.view"
    model = Building
    template_name = "beneficiaries/building_detail.html"
    context_object_name = "building"

    def get_object(self, queryset=None):
        buildings = selectors.buildings_with_occupancy(self.request.user, self.project)
        return super().get_object(buildings.select_related("neighbourhood__municipality"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["units"] = selectors.building_units(self.request.user, self.project, self.object)
        return context
