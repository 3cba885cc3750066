"""The scoping mixin every project page uses.

The URL names the project (``<slug:project>``); ``ProjectScopedMixin`` resolves it once
through ``access.scoped(Project, user)``, checks the view's declared ``capability`` and
answers 404 otherwise, exactly as for a project that does not exist. A view with a
``model`` reads its rows only through ``access.scoped(model, user, project)``: its
``get_queryset()`` and ``get_object()`` go there, the way the admin sends every read
through ``ModelAdmin.get_queryset()``, and ``self.scoped(Other)`` does the same for the
other models it shows.
"""

import unicodedata

from django.http import FileResponse, Http404

from . import access
from .models import Project


def search_param(request, name: str = "q", max_length: int = 100) -> str:
    """A free-text search from the query string, as the database may receive it.

    Control characters are dropped (PostgreSQL refuses a NUL in a query, which would
    answer 500) and the text is cut to ``max_length``, the length a form field allows.
    """
    text = request.GET.get(name, "")
    text = "".join(c for c in text if unicodedata.category(c) != "Cc")
    return text.strip()[:max_length]


class ProjectScopedMixin:
    capability: str | tuple[str, ...] = "project.view"
    # The model whose rows the view reads (its object, for an object URL).
    model = None
    pk_url_kwarg = "pk"
    project: Project
    grant: access.Grant

    def dispatch(self, request, *args, **kwargs):
        self.project = access.get_scoped_or_404(
            Project,
            request.user,
            queryset=access.scoped(Project, request.user).select_related(
                "programme", "lead_organisation"
            ),
            slug=kwargs["project"],
        )
        self.grant = access.require(request.user, self.capability, self.project.pk)
        if self.model is not None and self.pk_url_kwarg in kwargs and not self._allows(request):
            # An object outside the scope answers 404 to every method, 405 only after.
            self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def _allows(self, request) -> bool:
        method = request.method.lower()
        return method in self.http_method_names and hasattr(self, method)

    def scoped(self, model=None):
        """The rows of ``model`` (the view's own by default) the user may see in the
        project."""
        return access.scoped(model or self.model, self.request.user, self.project)

    def get_queryset(self):
        if self.model is None:
            return super().get_queryset()
        return self.scoped()

    def get_object(self, queryset=None):
        """The URL's object within the user's scope, else 404."""
        rows = queryset if queryset is not None else self.get_queryset()
        return access.get_scoped_or_404(
            rows.model, self.request.user, queryset=rows, pk=self.kwargs[self.pk_url_kwarg]
        )

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
