"""Importing this registers the attachments of every mail kind (see rendering.attach)."""

from registrations.pdf import confirmation  # noqa: F401
