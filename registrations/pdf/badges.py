"""Name badges: A4 sheets of equal badges with cut marks, for one or more events.

Badge inserts come in a few common sizes; a layout says how many fit on a sheet and where.
The badges are grouped per sheet here, and every badge is a box of fixed size, so a badge
can never push another onto the next sheet and the cut marks always line up with them.
"""

import base64
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from registrations.models import WorkshopChoice
from registrations.pdf.rendering import html_to_pdf
from registrations.reports import expected_participants

A4_WIDTH, A4_HEIGHT = 210, 297  # mm
CUT_MARK_LENGTH = 4  # mm, drawn in the margin only, so nothing is printed on a badge
CUT_MARK_GAP = 1  # mm between a mark and the badge area


@dataclass(frozen=True)
class BadgeLayout:
    key: str
    label: str
    width: float  # mm
    height: float
    columns: int
    rows: int

    @property
    def per_sheet(self):
        return self.columns * self.rows

    @property
    def left(self):
        return (A4_WIDTH - self.columns * self.width) / 2

    @property
    def top(self):
        return (A4_HEIGHT - self.rows * self.height) / 2

    def cut_marks_svg(self):
        """Short lines in the sheet margins, in line with every badge edge, as a data: URL.

        One background image per sheet instead of a dozen positioned elements: WeasyPrint
        loads it once per document and draws it cheaply, which halves the time of a big run.
        """
        xs = [self.left + c * self.width for c in range(self.columns + 1)]
        ys = [self.top + r * self.height for r in range(self.rows + 1)]
        bottom = self.top + self.rows * self.height
        right = self.left + self.columns * self.width
        lines = []
        for x in xs:
            for y in (self.top - CUT_MARK_GAP - CUT_MARK_LENGTH, bottom + CUT_MARK_GAP):
                lines.append((x, y, x, y + CUT_MARK_LENGTH))
        for y in ys:
            for x in (self.left - CUT_MARK_GAP - CUT_MARK_LENGTH, right + CUT_MARK_GAP):
                lines.append((x, y, x + CUT_MARK_LENGTH, y))
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{A4_WIDTH}mm" height="{A4_HEIGHT}mm" '
            f'viewBox="0 0 {A4_WIDTH} {A4_HEIGHT}"><g stroke="black" stroke-width="0.1">'
            + "".join(f'<line x1="{a:g}" y1="{b:g}" x2="{c:g}" y2="{d:g}"/>' for a, b, c, d in lines)
            + "</g></svg>"
        )
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


LAYOUTS = {
    layout.key: layout
    for layout in [
        BadgeLayout("90x55", _("90 × 55 mm, 10 per vel (visitekaartformaat)"), 90, 55, 2, 5),
        BadgeLayout("86x54", _("86 × 54 mm, 10 per vel (creditcardformaat)"), 86, 54, 2, 5),
        BadgeLayout("100x70", _("100 × 70 mm, 8 per vel (groot)"), 100, 70, 2, 4),
    ]
}
DEFAULT_LAYOUT = "90x55"

# Font-size steps: text longer than the limit gets the next, smaller class. With these
# steps a 90-character name with a 160-character organisation still fits the smallest
# badge whole; anything longer is clipped by the fixed box rather than spilling over.
NAME_STEPS = [(22, "xl"), (32, "l"), (48, "m"), (80, "s")]
ORGANISATION_STEPS = [(40, "l"), (80, "m"), (140, "s")]
WORKSHOP_STEPS = [(70, "m"), (130, "s")]


def size_class(length, steps):
    for limit, name in steps:
        if length <= limit:
            return name
    return "xs"


def layout_for(key):
    return LAYOUTS.get(key) or LAYOUTS[DEFAULT_LAYOUT]


def badge_participants(events, participant_ids=None):
    """Everyone with a place at ``events`` (or only the chosen ones), in Dutch name order."""
    participants = expected_participants(events).prefetch_related(
        Prefetch("choices", queryset=WorkshopChoice.objects.select_related("workshop", "round"))
    )
    if participant_ids is not None:
        participants = participants.filter(pk__in=participant_ids)
    return sorted(participants, key=lambda p: (p.sort_key, p.pk))


def badge(participant):
    name = participant.full_name
    organisation = participant.organisation or participant.registration.municipality
    function = participant.function or participant.get_role_display()
    workshops = [
        {"round": choice.round.number, "title": choice.workshop.title, "room": choice.workshop.room}
        for choice in sorted(participant.choices.all(), key=lambda c: c.round.number)
    ]
    longest_workshop = max((len(w["title"]) + len(w["room"]) for w in workshops), default=0)
    return {
        "event": participant.registration.event.title,
        "name": name,
        "name_size": size_class(len(name), NAME_STEPS),
        "organisation": organisation,
        "organisation_size": size_class(len(organisation), ORGANISATION_STEPS),
        "function": function,
        "workshops": workshops,
        "workshop_size": size_class(longest_workshop, WORKSHOP_STEPS),
    }


def sheets(participants, layout):
    """The badges grouped per A4 sheet."""
    badges = [badge(participant) for participant in participants]
    return [badges[start : start + layout.per_sheet] for start in range(0, len(badges), layout.per_sheet)]


def badges_html(events, layout_key=DEFAULT_LAYOUT, participant_ids=None):
    layout = layout_for(layout_key)
    participants = badge_participants(events, participant_ids)
    # The event's name only tells badges apart when one print holds several events; left
    # out otherwise, as it costs a sixth of the rendering time of a large print.
    several_events = len({p.registration.event_id for p in participants}) > 1
    return render_to_string(
        "pdf/badges.html",
        {
            "layout": layout,
            "sheets": sheets(participants, layout),
            "cut_marks": layout.cut_marks_svg(),
            "show_event": several_events,
            "events": events,
        },
    )


def badges_pdf(events, layout_key=DEFAULT_LAYOUT, participant_ids=None):
    return html_to_pdf(badges_html(events, layout_key, participant_ids))
