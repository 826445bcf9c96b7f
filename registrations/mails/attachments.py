"""Importing this registers the attachments of every mail kind (see rendering.attach).

Imported when the app is ready, so that every process that sends (each worker child)
knows every kind's attachments, whichever module happened to record the mail.
"""

import importlib

from registrations.pdf import confirmation  # noqa: F401

# The programme-and-homework mail's files (issue #4), once that module is there; an error
# inside it is not hidden.
try:
    importlib.import_module("registrations.mails.programme_homework")
except ModuleNotFoundError as exc:
    if exc.name != "registrations.mails.programme_homework":
        raise
