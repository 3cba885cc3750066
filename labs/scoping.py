"""The scoping mixin every project page uses.

The URL names the project (``<slug:project>``); ``ProjectScopedMixin`` resolves it once
through ``Project.objects.visible_to(user)``, checks the view's declared ``capability``
and answers 404 otherwise, exactly as for a project that does not exist.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from . import access
from .models import Project


class ProjectScopedMixin:
    capability: str | tuple[str, ...] = "project.view"
    project: Project
    grant: access.Grant

    def dispatch(self, request, *args, **kwargs):
        self.project = get_object_or_404(
            Project.objects.visible_to(request.user).select_related(
                "programme", "lead_organisation"
            ),
            slug=kwargs["project"],
        )
        self.grant = access.require(request.user, self.capability, self.project.pk)
        return super().dispatch(request, *args, **kwargs)

    def can(self, capability: str) -> bool:
        return self.grant.can(capability)

    def require_perm(self, perm: str, obj) -> None:
        """Object permission for a change; 404 rather than 403, like every scope check."""
        if not self.request.user.has_perm(perm, obj):
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        context["grant"] = self.grant
        context["can_view_sensitive"] = self.can("people.view_sensitive")
        return context


def private_file_response(field_file, filename: str) -> FileResponse:
    """A stored private file as a download, once the view has checked who may see it;
    404 when there is no file or it is missing from storage."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename)
