"""Attendance of past sessions: one row per person per session."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from labs.models import Session
from partners.validators import normalise_code

from ..models import Attendance, Person
from .engine import Column, Importer, Row, RowProblem, key, parse_date, parse_decimal, text

C = Column
COLUMNS = [
    C("date", gettext_lazy("Data dell'incontro"), True, gettext_lazy("gg/mm/aaaa, nel passato")),
    C(
        "activity",
        gettext_lazy("Attività"),
        True,
        gettext_lazy("Nome dell'attività come scritto nel portale"),
    ),
    C(
        "start_time",
        gettext_lazy("Ora di inizio"),
        False,
        gettext_lazy("hh:mm, solo se l'attività ha più incontri nello stesso giorno"),
    ),
    C(
        "tax_code",
        gettext_lazy("Codice fiscale"),
        True,
        gettext_lazy("La persona deve essere già nel progetto"),
    ),
    C("hours", gettext_lazy("Ore di presenza"), True, gettext_lazy("es. 1,5")),
]
LABELS = {c.key: str(c.header) for c in COLUMNS}


class AttendanceImporter(Importer):
    kind = "presenze"
    title = gettext_lazy("Presenze agli incontri passati")
    sheet_help = gettext_lazy(
        "Una riga per persona presente a un incontro. L'incontro deve essere già nel "
        "calendario dell'attività; una presenza già registrata viene aggiornata."
    )
    columns = COLUMNS

    def check(self, rows: list[Row]) -> dict:
        today = timezone.localdate()
        sessions: dict[tuple, list[Session]] = {}
        for s in Session.objects.filter(activity__project=self.project).select_related("activity"):
            sessions.setdefault((key(s.activity.name), s.date), []).append(s)
        codes = {normalise_code(text(r.cells.get("tax_code"))) for r in rows}
        people = {
            p.tax_code: p
            for p in Person.objects.in_project(self.project.pk).filter(tax_code__in=codes)
        }
        existing = {
            (a.session_id, a.person_id): a
            for a in Attendance.objects.filter(session__activity__project=self.project)
        }
        seen: dict[tuple, int] = {}
        for row in rows:
            c = row.cells
            for name in ("date", "activity", "tax_code", "hours"):
                try:
                    self.required(row, name)
                except RowProblem as error:
                    row.problems.append(str(error))
            day = hours = None
            try:
                day = parse_date(c.get("date"))
            except RowProblem as error:
                row.problems.append(f"{LABELS['date']}: {error}")
            try:
                hours = parse_decimal(c.get("hours"))
            except RowProblem as error:
                row.problems.append(f"{LABELS['hours']}: {error}")
            activity = text(c.get("activity"))
            tax_code = normalise_code(text(c.get("tax_code")))
            row.label = f"{day:%d/%m/%Y} {activity} – {tax_code}" if day else activity
            if day and day > today:
                row.problems.append(
                    _(
                        "Data dell'incontro fuori dall'intervallo ammesso: si importano solo "
                        "incontri passati."
                    )
                )
            session = None
            if day and activity:
                found = sessions.get((key(activity), day), [])
                wanted = text(c.get("start_time"))
                if wanted:
                    found = [s for s in found if s.start_time.strftime("%H:%M") == wanted[:5]]
                if len(found) == 1:
                    session = found[0]
                elif not found:
                    row.problems.append(
                        _("Incontro sconosciuto: nessun incontro di «%(a)s» il %(d)s.")
                        % {"a": activity, "d": day.strftime("%d/%m/%Y")}
                    )
                else:
                    row.problems.append(_("Più incontri quel giorno: indicare l'ora di inizio."))
            if session is not None:
                if session.state == Session.State.CANCELLED:
                    row.problems.append(_("L'incontro risulta non svolto."))
                if session.validated_at:
                    row.problems.append(
                        _(
                            "Il registro dell'incontro è già validato: si modifica solo con una "
                            "correzione dalla pagina dell'incontro."
                        )
                    )
                if hours is not None and (hours <= 0 or hours * 60 > session.duration_minutes):
                    row.problems.append(
                        _("Ore di presenza fuori dall'intervallo ammesso (oltre 0 e fino a %(h)s).")
                        % {"h": session.hours}
                    )
            person = people.get(tax_code)
            if tax_code and person is None:
                row.problems.append(
                    _("Codice fiscale %(cf)s: persona non presente nel progetto.")
                    % {"cf": tax_code}
                )
            if session and person:
                pair = (session.pk, person.pk)
                if pair in seen:
                    row.problems.append(
                        _("Presenza ripetuta nel file (già alla riga %(n)d).") % {"n": seen[pair]}
                    )
                seen.setdefault(pair, row.number)
                row.action = "update" if pair in existing else "create"
                row.data = {
                    "session": session,
                    "person": person,
                    "hours": hours,
                    "existing": existing.get(pair),
                }
        return {}

    def save(self, rows: list[Row], state: dict) -> None:
        new = []
        for row in rows:
            d = row.data
            if d["existing"]:
                d["existing"].hours = d["hours"]
                d["existing"].save()
            else:
                new.append(Attendance(session=d["session"], person=d["person"], hours=d["hours"]))
        bulk_create_with_history(new, Attendance, batch_size=500, default_user=self.actor)
        held = {d.data["session"].pk for d in rows}
        Session.objects.filter(pk__in=held, state=Session.State.PLANNED).update(
            state=Session.State.HELD
        )
