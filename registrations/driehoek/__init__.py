"""The driehoek: a municipality's griffier, burgemeester and gemeentesecretaris registering
as one team for a session of a series, the organiser admitting or declining the team, and
municipalities offering their town hall to host a session. All of its code is here:

* ``forms.py`` and ``views.py``: the public team form and its page;
* ``admission.py``: the rules, one transaction each: registering a team, admitting or
  declining it, the programme and homework mail owed to admitted teams;
* ``host_offers.py``: the public form and page on which a municipality offers a location;
* ``admin.py``: the organisers' side: teams (admission, attendance, no-shows), host offers,
  and the session files (programme, homework) as an inline of the event admin.

The models stay where they are (TeamRegistration in registrations.models, HostOffer and
SessionDocument in events.models): moving them would mean migrations across apps. The
URLs keep their names (``registrations:register_team``, ``registrations:host_offer``) and
the templates their paths. registrations.admin imports ``admin.py`` so that it registers.
"""
