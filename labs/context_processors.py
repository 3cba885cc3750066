from . import access


def portal(request):
    """The signed-in user's organisation and projects, for the header and navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def organisation():
        membership = user.memberships.filter(is_active=True).select_related("organisation").first()
        return membership.organisation if membership else None

    return {
        "current_organisation": organisation,
        "is_regional_officer": lambda: access.is_regional_officer(user),
        # The offline registers' page (docs/offline.md), for those who fill registers.
        "fills_registers": lambda: bool(access.project_ids_for(user, "sessions.change")),
        # The Region's programme view (reporting/programmes), for leads and regional
        # officers; a section link on its programmes' pages.
        "sees_programmes": lambda: bool(access.project_ids_for(user, "programme.view")),
        "in_programmes": getattr(request.resolver_match, "namespace", "") == "programmes",
    }
