"""Name badges: A4 sheets of equal badges with cut marks, for one or more events.

Badge inserts come in a few common sizes; a layout says how many fit on a sheet and where.
Positions are computed here rather than left to CSS flow, so that a badge can never be
pushed onto the next sheet by its neighbour and the cut marks always line up with it.
"""

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

    def position(self, index):
        """(left, top) in mm of the badge at ``index`` on its sheet, row by row."""
        row, column = divmod(index, self.columns)
        return self.left + column * self.width, self.top + row * self.height

    def cut_marks(self):
        """Short lines in the sheet margins, in line with every badge edge."""
        xs = [self.left + c * self.width for c in range(self.columns + 1)]
        ys = [self.top + r * self.height for r in range(self.rows + 1)]
        bottom = self.top + self.rows * self.height
        right = self.left + self.columns * self.width
        marks = []
        for x in xs:
            for y in (self.top - CUT_MARK_GAP - CUT_MARK_LENGTH, bottom + CUT_MARK_GAP):
                marks.append({"kind": "v", "x": x, "y": y, "length": CUT_MARK_LENGTH})
        for y in ys:
            for x in (self.left - CUT_MARK_GAP - CUT_MARK_LENGTH, right + CUT_MARK_GAP):
                marks.append({"kind": "h", "x": x, "y": y, "length": CUT_MARK_LENGTH})
        return marks


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
# steps the longest values the fields allow still fit inside the smallest badge (tested).
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
    """The badges grouped per A4 sheet, each with its position on the sheet."""
    result = []
    for start in range(0, len(participants), layout.per_sheet):
        chunk = participants[start : start + layout.per_sheet]
        sheet = []
        for index, participant in enumerate(chunk):
            left, top = layout.position(index)
            sheet.append({**badge(participant), "left": left, "top": top})
        result.append(sheet)
    return result


def badges_html(events, layout_key=DEFAULT_LAYOUT, participant_ids=None):
    layout = layout_for(layout_key)
    participants = badge_participants(events, participant_ids)
    return render_to_string(
        "pdf/badges.html",
        {"layout": layout, "sheets": sheets(participants, layout), "cut_marks": layout.cut_marks()},
    )


def badges_pdf(events, layout_key=DEFAULT_LAYOUT, participant_ids=None):
    return html_to_pdf(badges_html(events, layout_key, participant_ids))
