"""The organisers' admin, one module per area; importing them registers them."""

from registrations.admin import documents, event_places, mail, participant_messages, registration, team  # noqa: F401
from registrations.invitations import admin as invitations  # noqa: F401
