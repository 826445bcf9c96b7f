"""Recording who came: one Attendance row per participant, from the door or afterwards."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.dates import hour
from registrations.checkin.codes import checkin_code_from_payload
from registrations.errors import NotAllowed
from registrations.models import Attendance, Participant, Registration


class AlreadyCheckedIn(NotAllowed):
    def __init__(self, attendance):
        self.attendance = attendance
        super().__init__(
            _("%(name)s is al aangemeld bij de ingang (om %(time)s).")
            % {
                "name": attendance.participant.full_name,
                "time": hour(attendance.recorded_at),
            }
        )


@transaction.atomic
def record_attendance(participant_id, status, *, by=None, method=Attendance.Method.ADMIN):
    """Set a participant's attendance (present or absent), replacing an earlier record."""
    participant = (
        Participant.objects.select_related("registration").select_for_update(of=("self",)).get(pk=participant_id)
    )
    if participant.registration.status not in Registration.HOLDS_PLACE:
        raise NotAllowed()
    attendance, _created = Attendance.objects.update_or_create(
        participant=participant, defaults={"status": status, "method": method, "recorded_by": by}
    )
    return attendance


@transaction.atomic
def check_in(participant_id, *, by=None, method=Attendance.Method.SEARCH):
    """Mark a participant present at the door; a second check-in says so and changes nothing."""
    participant = (
        Participant.objects.select_related("registration").select_for_update(of=("self",)).get(pk=participant_id)
    )
    if participant.registration.status not in Registration.HOLDS_PLACE:
        raise NotAllowed(_("Deze deelnemer heeft geen geldige aanmelding."))
    existing = Attendance.objects.filter(participant=participant).first()
    if existing and existing.status == Attendance.Status.PRESENT:
        raise AlreadyCheckedIn(existing)
    attendance, _created = Attendance.objects.update_or_create(
        participant=participant, defaults={"status": Attendance.Status.PRESENT, "method": method, "recorded_by": by}
    )
    return attendance


class UnknownCheckinCode(NotAllowed):
    default_message = gettext_lazy("Deze code hoort niet bij een aanmelding voor dit evenement.")


@transaction.atomic
def check_in_at_event(event_id, participant_id, *, by=None, method=Attendance.Method.SEARCH):
    """Check in someone found by name, only if they are registered for this very event."""
    if not Participant.objects.filter(pk=participant_id, registration__event_id=event_id).exists():
        raise UnknownCheckinCode()
    return check_in(participant_id, by=by, method=method)


@transaction.atomic
def check_in_by_payload(event_id, payload, *, by=None):
    """Check in the holder of a scanned QR code; a forged, altered or foreign code is refused."""
    code = checkin_code_from_payload(payload or "")
    participant_id = (
        Participant.objects.filter(checkin_code=code, registration__event_id=event_id)
        .values_list("pk", flat=True)
        .first()
        if code
        else None
    )
    if participant_id is None:
        raise UnknownCheckinCode()
    return check_in(participant_id, by=by, method=Attendance.Method.SCAN)
