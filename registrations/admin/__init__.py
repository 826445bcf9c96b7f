"""The organisers' admin, one module per area; importing them registers them."""

from registrations.admin import documents, event_places, mail, registration, team  # noqa: F401
