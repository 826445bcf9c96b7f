"""The organisers' admin, one module per area; importing them registers them. The driehoek's
admin (teams, host offers) lives with the rest of the driehoek, in registrations.driehoek."""

from registrations.admin import documents, event_places, mail, participant_messages, registration  # noqa: F401
from registrations.driehoek import admin as driehoek  # noqa: F401
from registrations.invitations import admin as invitations  # noqa: F401
