"""Vol = vol under load: concurrent team registrations on separate database connections."""

import threading

import pytest
from django.db import connection

from conftest import make_team_session
from registrations.driehoek.admission import MunicipalityHoldsPlace
from registrations.errors import EventFull
from registrations.models import Participant, Registration
from registrations.tests.team_helpers import sign_up

# Nine teams for six places: enough to contend, few enough connections for a shared server.
MUNICIPALITIES = ["Arnhem", "Ede", "Zutphen", "Tiel", "Epe", "Oss", "Venlo", "Weert", "Emmen"]


def run_together(jobs):
    """Start every job at the same moment, each on its own connection; return their outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def signing_up(event, municipality, n, **kwargs):
    return lambda: sign_up(event, municipality, n, **kwargs)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_nine_teams_at_once_for_six_places(team_session):
    outcomes = run_together([signing_up(team_session, name, n) for n, name in enumerate(MUNICIPALITIES)])
    placed = [o for o in outcomes if isinstance(o, Registration)]
    refused = [o for o in outcomes if isinstance(o, EventFull)]
    assert len(placed) == 6 and len(refused) == 3, outcomes
    assert Registration.objects.filter(event=team_session, status__in=Registration.HOLDS_PLACE).count() == 6
    # Nothing half-stored for the refused teams.
    assert Participant.objects.count() == 18


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_one_municipality_at_once_for_several_sessions_gets_one(organisation, team_session):
    sessions = [team_session] + [
        make_team_session(organisation, series=team_session.series, slug=f"driehoeken-{n}") for n in (2, 3, 4)
    ]
    outcomes = run_together([signing_up(event, "Nijmegen", n) for n, event in enumerate(sessions)])
    assert sum(isinstance(o, Registration) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, MunicipalityHoldsPlace) for o in outcomes) == 3, outcomes
    assert Registration.objects.filter(municipality="Nijmegen").count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_one_municipality_at_once_on_several_waiting_lists_gets_one(organisation, team_session):
    # No database constraint covers waiting teams; only the series lock keeps this exact.
    sessions = [team_session] + [
        make_team_session(organisation, series=team_session.series, slug=f"driehoeken-{n}") for n in (2, 3, 4)
    ]
    for n, event in enumerate(sessions):
        event.capacity = 1
        event.save()
        signing_up(event, MUNICIPALITIES[n], 10 + n)()
    outcomes = run_together([signing_up(event, "Nijmegen", n, waitlist=True) for n, event in enumerate(sessions)])
    assert sum(isinstance(o, Registration) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, MunicipalityHoldsPlace) for o in outcomes) == 3, outcomes
    assert Registration.objects.filter(municipality="Nijmegen").count() == 1
