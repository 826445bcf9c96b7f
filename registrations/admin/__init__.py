"""The organisers' admin, one module per area; importing them registers them."""

from registrations.admin import mail, registration, team  # noqa: F401
