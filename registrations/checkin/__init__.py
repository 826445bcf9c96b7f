"""Check-in at the door, and recording who came, in one place:

* ``codes.py``: what the QR code on a PDF confirmation carries (a signed check-in code);
* ``views.py`` and ``urls.py``: the organisers' check-in pages (``/inchecken/``, namespace
  ``checkin``), on a phone: scan the QR code or search a name;
* ``attendance.py``: the rules, one transaction each: checking in at the door, recording
  present or absent afterwards (also from the admin).

The Attendance model stays in registrations.models: moving it would mean a migration.
"""
