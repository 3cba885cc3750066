"""Read-side queries for dashboards and reports. Aggregates are computed by the database."""

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from beneficiaries.models import Household, HouseholdMember, Path, Registration
from labs.models import Axis, Project, Session


def project_figures(project: Project) -> dict:
    """Targets against what has been reached, in a fixed number of queries."""
    households = Household.objects.filter(project=project).aggregate(
        total=Count("pk"),
    )["total"]
    people = (
        HouseholdMember.objects.filter(household__project=project, end_date__isnull=True)
        .values("person_id")
        .distinct()
        .count()
    )
    registered = Registration.objects.filter(project=project).count()
    paths = Path.objects.filter(project=project).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(exit_date__isnull=True)),
        closed=Count("pk", filter=Q(exit_date__isnull=False)),
    )
    sessions = Session.objects.filter(activity__project=project).aggregate(
        held=Count("pk", filter=Q(state=Session.State.HELD)),
        minutes=Coalesce(Sum("duration_minutes", filter=Q(state=Session.State.HELD)), 0),
    )
    return {
        "households": households,
        "target_households": project.target_households,
        "people": people,
        "target_people": project.target_people,
        "registered": registered,
        "participants": paths["total"],
        "participants_open": paths["open"],
        "participants_closed": paths["closed"],
        "target_participants": project.target_participants,
        "sessions_held": sessions["held"],
        "hours": Decimal(sessions["minutes"]) / 60,
        "target_hours": project.target_hours,
    }


def hours_by_axis(project: Project):
    """Each axis with its sessions held and activity hours, one query."""
    held = Q(activities__sessions__state=Session.State.HELD)
    return (
        Axis.objects.filter(project=project)
        .annotate(
            sessions_held=Count("activities__sessions", filter=held),
            minutes=Coalesce(Sum("activities__sessions__duration_minutes", filter=held), 0),
        )
        .annotate(
            # Divided by 60.0, not 60: SQLite divides two integers as integers (90 min = 1 h).
            hours=ExpressionWrapper(
                F("minutes") / Value(60.0), output_field=DecimalField(decimal_places=2)
            )
        )
        .order_by("order", "code")
    )
