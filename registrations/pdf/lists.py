"""Attendance lists to sign, participant lists for workshop hosts, and the no-show export.

Every list is in Dutch surname order ('Esther van der Mark' under M), the order in which
people look for their own name on paper.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.dates import hour, long_date
from registrations.pdf.rendering import render_pdf
from registrations.reports import expected_participants, no_shows
from registrations.search import normalise

# Empty rows at the end of a list to sign, for people added at the door.
BLANK_ROWS = 3


def by_surname(participants):
    return sorted(participants, key=lambda p: (p.sort_key, p.pk))


def surname_first(participant):
    """'Mark, Esther van der': how a name is looked up on a Dutch list."""
    rest = " ".join(part for part in [participant.given_name, participant.name_prefix] if part)
    return f"{participant.family_name}, {rest}" if rest else participant.family_name


def event_participants(event):
    return by_surname(expected_participants([event]))


def workshop_participants(workshop):
    return by_surname(expected_participants([workshop.round.event_id]).filter(choices__workshop=workshop))


def when(event):
    return "%s, %s–%s" % (long_date(event.starts_at), hour(event.starts_at), hour(event.ends_at))


def row(number, participant, team):
    return {
        "number": number,
        "name": surname_first(participant),
        "organisation": participant.organisation,
        "function": participant.function,
        "municipality": participant.registration.municipality if team else "",
        "role": participant.get_role_display() if team else "",
    }


def section(title, lines, participants, *, team=False, start=1):
    return {
        "title": title,
        "lines": [line for line in lines if line],
        "team": team,
        "rows": [row(n, p, team) for n, p in enumerate(participants, start=start)],
        "count": len(participants),
    }


def event_section(event):
    venue = event.venue.one_line if event.venue else ""
    return section(event.title, [when(event), venue], event_participants(event), team=event.is_team_event)


def event_part_section(event, participant_ids, *, start, part, parts, total):
    """One part of a big event's list (made by the PDF worker a part at a time): the people
    numbered ``start`` on, with a line saying which part of the whole it is. Each part is a
    list of its own (its pages counted from one), as at a door with a desk per part."""
    venue = event.venue.one_line if event.venue else ""
    people = by_surname(expected_participants([event]).filter(pk__in=participant_ids))
    first, last = (people[0].family_name, people[-1].family_name) if people else ("", "")
    line = _("Deel %(part)s van %(parts)s: nr. %(first)s–%(last)s van %(total)s (%(from)s – %(to)s)") % {
        "part": part,
        "parts": parts,
        "first": start,
        "last": start + len(people) - 1,
        "total": total,
        "from": first,
        "to": last,
    }
    return section(event.title, [when(event), venue, line], people, team=event.is_team_event, start=start)


def workshop_section(workshop):
    rnd = workshop.round
    hosts = ", ".join(host.name for host in workshop.hosts.all())
    return section(
        workshop.title,
        [
            f"{rnd.event.title} · {when(rnd.event)}",
            "%s · %s–%s%s"
            % (rnd, hour(rnd.starts_at), hour(rnd.ends_at), f" · {workshop.room}" if workshop.room else ""),
            _("Workshopleiders: %(hosts)s") % {"hosts": hosts} if hosts else "",
        ],
        workshop_participants(workshop),
    )


def attendance_list_pdf(sections):
    """A list to sign: one section (starting on a new page) per event or workshop."""
    return render_pdf(
        "pdf/attendance_list.html",
        {"sections": sections, "blank_rows": range(BLANK_ROWS), "printed_at": timezone.localtime()},
    )


def event_attendance_pdf(events):
    return attendance_list_pdf([event_section(event) for event in events])


def workshop_attendance_pdf(workshop):
    return attendance_list_pdf([workshop_section(workshop)])


def participant_list_pdf(workshop):
    return render_pdf(
        "pdf/participant_list.html", {"sections": [workshop_section(workshop)], "printed_at": timezone.localtime()}
    )


PARTICIPANT_CSV_HEADER = [
    gettext_lazy("Achternaam"),
    gettext_lazy("Tussenvoegsel"),
    gettext_lazy("Voornaam"),
    gettext_lazy("Organisatie"),
    gettext_lazy("Functie"),
]


def participant_list_rows(workshop):
    """For the hosts: who is coming, without contact details (they reach them through us)."""
    return [
        [p.family_name, p.name_prefix, p.given_name, p.organisation, p.function]
        for p in workshop_participants(workshop)
    ]


NO_SHOW_CSV_HEADER = [
    gettext_lazy("Evenement"),
    gettext_lazy("Datum"),
    gettext_lazy("Organisatie"),
    gettext_lazy("Gemeente"),
    gettext_lazy("Achternaam"),
    gettext_lazy("Tussenvoegsel"),
    gettext_lazy("Voornaam"),
    gettext_lazy("Functie"),
    gettext_lazy("Rol"),
    gettext_lazy("E-mailadres"),
    gettext_lazy("Aanwezigheid"),
]


def no_show_rows(events):
    """Who held a place and did not come, per event and per organisation."""
    participants = sorted(
        no_shows(events),
        key=lambda p: (p.registration.event.starts_at, p.registration.event_id, normalise(p.organisation), p.sort_key),
    )
    rows = []
    for p in participants:
        event = p.registration.event
        attendance = getattr(p, "attendance", None)
        rows.append(
            [
                event.title,
                timezone.localtime(event.starts_at).date().isoformat(),
                p.organisation,
                p.registration.municipality,
                p.family_name,
                p.name_prefix,
                p.given_name,
                p.function,
                p.get_role_display() if p.role else "",
                p.email,
                _("afwezig gemeld") if attendance else _("niet ingecheckt"),
            ]
        )
    return rows
