"""Recording who came: one Attendance row per participant, from the door or afterwards."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.errors import NotAllowed
from registrations.models import Attendance, Participant, Registration


class AlreadyCheckedIn(NotAllowed):
    def __init__(self, attendance):
        self.attendance = attendance
        super().__init__(
            _("%(name)s is al aangemeld bij de ingang (om %(time)s).")
            % {
                "name": attendance.participant.full_name,
                "time": timezone.localtime(attendance.recorded_at).strftime("%H.%M"),
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
