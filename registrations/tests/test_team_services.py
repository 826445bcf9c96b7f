"""Driehoek registration, admission and the programme-and-homework mail, at service level."""

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as outbox
from django.core.files.base import ContentFile

from conftest import make_team_session, team
from events.models import SessionDocument
from registrations.driehoek.admission import (
    IncompleteTeam,
    MunicipalityHoldsPlace,
    SharedAddress,
    UnknownMunicipality,
    admit,
    decline,
    due_programme_homework,
    register_team,
)
from registrations.errors import EventFull, RegistrationClosed
from registrations.mails.delivery import deliver
from registrations.mails.schedule import queue_due_mails
from registrations.models import Mail, Participant, Registration
from registrations.services.registering import cancel
from registrations.tasks import sweep_due_mails
from registrations.tests.team_helpers import sign_up

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.django_db
def test_team_registers_whole_and_holds_its_place_awaiting_admission(team_session):
    registration = sign_up(team_session, "nijmegen ")
    assert registration.status == Registration.Status.APPLIED
    assert registration.municipality == "Nijmegen"  # the list's spelling
    assert registration.series_id == team_session.series_id
    assert sorted(registration.participants.values_list("role", flat=True)) == [
        "burgemeester",
        "gemeentesecretaris",
        "griffier",
    ]
    # Every member is owed the acknowledgement, not only the contact person.
    assert set(Mail.objects.filter(kind="acknowledgement").values_list("recipient", flat=True)) == {
        p.email for p in registration.participants.all()
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "roles",
    [
        ("griffier", "griffier", "gemeentesecretaris"),
        ("griffier", "burgemeester", ""),
        ("griffier", "burgemeester"),
        ("griffier", "burgemeester", "gemeentesecretaris", "griffier"),
    ],
)
def test_each_role_exactly_once_or_nothing_is_stored(team_session, roles):
    members = team("Nijmegen")
    people = [replace(members[i % 3], role=role, email=f"{i}@x.nl") for i, role in enumerate(roles)]
    with pytest.raises(IncompleteTeam):
        register_team(team_session.pk, municipality="Nijmegen", people=people, contact_name="C", contact_email="c@x.nl")
    assert not Registration.objects.exists()
    assert not Participant.objects.exists()
    assert not Mail.objects.exists()


@pytest.mark.django_db
def test_unknown_municipality_is_refused(team_session):
    with pytest.raises(UnknownMunicipality):
        sign_up(team_session, "Gotham")
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_members_need_their_own_addresses(team_session):
    people = team("Nijmegen")
    people[2] = replace(people[2], email=people[0].email.upper())
    with pytest.raises(SharedAddress):
        register_team(team_session.pk, municipality="Nijmegen", people=people, contact_name="C", contact_email="c@x.nl")
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_one_team_place_per_municipality_per_series_names_the_session(organisation, team_session):
    other = make_team_session(organisation, series=team_session.series, slug="driehoeken-2")
    sign_up(team_session, "Nijmegen", 1)
    with pytest.raises(MunicipalityHoldsPlace) as refused:
        sign_up(other, "Nijmegen", 2)
    assert team_session.title in refused.value.messages[0]
    assert "Nijmegen" in refused.value.messages[0]
    assert Registration.objects.count() == 1
    # Another municipality is welcome, and after cancelling Nijmegen may choose again.
    sign_up(other, "Arnhem", 3)
    cancel(Registration.objects.get(municipality="Nijmegen").pk)
    assert sign_up(other, "Nijmegen", 4).status == Registration.Status.APPLIED


@pytest.mark.django_db
def test_a_waiting_team_also_blocks_a_second_session(organisation, team_session):
    team_session.capacity = 1
    team_session.save()
    other = make_team_session(organisation, series=team_session.series, slug="driehoeken-2")
    sign_up(team_session, "Arnhem", 1)
    waiting = sign_up(team_session, "Nijmegen", 2, waitlist=True)
    assert waiting.status == Registration.Status.WAITLISTED
    with pytest.raises(MunicipalityHoldsPlace, match="wachtlijst"):
        sign_up(other, "Nijmegen", 3)


@pytest.mark.django_db
def test_the_same_municipality_in_another_series_is_independent(organisation, team_session):
    from events.models import Series

    series = Series.objects.create(title="Driehoeken 2027", slug="driehoeken-2027")
    other = make_team_session(organisation, series=series, slug="driehoeken-2027-1")
    sign_up(team_session, "Nijmegen", 1)
    assert sign_up(other, "Nijmegen", 2).status == Registration.Status.APPLIED


@pytest.mark.django_db
def test_six_teams_then_full_then_waiting_list(team_session):
    for n, municipality in enumerate(["Arnhem", "Ede", "Zutphen", "Tiel", "Epe", "Oss"], start=1):
        sign_up(team_session, municipality, n)
    with pytest.raises(EventFull):
        sign_up(team_session, "Nijmegen", 7)
    assert Registration.objects.count() == 6
    waiting = sign_up(team_session, "Nijmegen", 7, waitlist=True)
    assert waiting.status == Registration.Status.WAITLISTED
    assert set(Mail.objects.filter(registration=waiting).values_list("kind", flat=True)) == {"waitlisted"}


@pytest.mark.django_db
def test_deadline_is_exactly_four_weeks_on_the_amsterdam_clock(organisation):
    # 10 April 2026 13.00 is summer time; four weeks earlier (13 March) is still winter time.
    event = make_team_session(organisation)
    event.starts_at = datetime(2026, 4, 10, 13, 0, tzinfo=AMSTERDAM)
    event.ends_at = event.starts_at + timedelta(hours=4)
    event.registration_closes_at = None
    event.save()
    deadline = datetime(2026, 3, 13, 13, 0, tzinfo=AMSTERDAM)
    assert event.team_registration_deadline == deadline
    assert event.registration_state(deadline - timedelta(seconds=1)) == "open"
    assert event.registration_state(deadline) == "closed"
    sign_up(event, "Arnhem", 1, now=deadline - timedelta(seconds=1))
    with pytest.raises(RegistrationClosed):
        sign_up(event, "Nijmegen", 2, now=deadline)
    with pytest.raises(RegistrationClosed):
        sign_up(event, "Ede", 3, now=deadline, waitlist=True)
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_an_organisers_later_close_does_not_stretch_the_deadline(team_session):
    team_session.registration_closes_at = team_session.starts_at - timedelta(days=1)
    team_session.save()
    assert team_session.registration_deadline == team_session.team_registration_deadline
    with pytest.raises(RegistrationClosed):
        sign_up(team_session, now=team_session.starts_at - timedelta(days=27))


@pytest.mark.django_db
def test_admit_confirms_and_mails_all_three_members(team_session, organiser):
    registration = sign_up(team_session)
    outbox.outbox.clear()
    admitted = admit([registration.pk], by=organiser)
    assert admitted == [registration]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.decided_by == organiser and registration.decided_at
    mails = Mail.objects.filter(registration=registration, kind="admitted")
    assert mails.count() == 3
    for mail in mails:
        deliver(mail.pk)
    sent = [m for m in outbox.outbox if "toegelaten" in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted(p.email for p in registration.participants.all())
    assert "Nijmegen" in sent[0].body
    # Admitting again changes and mails nothing.
    assert admit([registration.pk], by=organiser) == []
    assert Mail.objects.filter(registration=registration, kind="admitted").count() == 3


@pytest.mark.django_db
def test_bulk_admit_leaves_teams_not_awaiting_admission_alone(organisation, team_session):
    team_session.capacity = 2
    team_session.save()
    first = sign_up(team_session, "Arnhem", 1)
    second = sign_up(team_session, "Ede", 2)
    waiting = sign_up(team_session, "Tiel", 3, waitlist=True)
    admitted = admit([first.pk, second.pk, waiting.pk])
    assert {r.pk for r in admitted} == {first.pk, second.pk}
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITLISTED


@pytest.mark.django_db
def test_decline_frees_the_place_promotes_the_first_waiting_team_and_mails(team_session, organiser):
    team_session.capacity = 1
    team_session.save()
    first = sign_up(team_session, "Arnhem", 1)
    waiting = sign_up(team_session, "Ede", 2, waitlist=True)
    later = sign_up(team_session, "Tiel", 3, waitlist=True)
    decline([first.pk], by=organiser)
    first.refresh_from_db()
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert first.status == Registration.Status.DECLINED
    assert Mail.objects.filter(registration=first, kind="declined").count() == 3
    # Promoted into "awaiting admission": the organiser still decides.
    assert waiting.status == Registration.Status.APPLIED
    assert Mail.objects.filter(registration=waiting, kind="promoted").count() == 3
    assert later.status == Registration.Status.WAITLISTED


@pytest.mark.django_db
def test_team_cancellation_frees_the_place_for_the_waiting_list(team_session):
    team_session.capacity = 1
    team_session.save()
    first = sign_up(team_session, "Arnhem", 1)
    admit([first.pk])
    waiting = sign_up(team_session, "Ede", 2, waitlist=True)
    cancel(first.pk)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.APPLIED
    assert Mail.objects.filter(registration=first, kind="cancelled").count() == 3


def attach_documents(event):
    SessionDocument.objects.create(
        event=event, kind="programme", title="Programma", file=ContentFile(b"%PDF-1.4 programma", name="programma.pdf")
    )
    SessionDocument.objects.create(
        event=event, kind="homework", title="Huiswerk", file=ContentFile(b"%PDF-1.4 huiswerk", name="huiswerk.pdf")
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_programme_homework_is_due_a_configurable_number_of_days_before(media, team_session):
    team_session.confirmation_days_before = 10
    team_session.save()
    admitted = sign_up(team_session, "Arnhem", 1)
    admit([admitted.pk])
    sign_up(team_session, "Ede", 2)  # awaiting admission: never due
    attach_documents(team_session)
    due_at = team_session.starts_at - timedelta(days=10)
    assert list(due_programme_homework(due_at - timedelta(seconds=1))) == []
    assert list(due_programme_homework(due_at)) == [admitted]
    assert list(due_programme_homework(team_session.starts_at)) == []  # too late once it started


@pytest.mark.django_db
def test_nothing_is_due_before_the_organiser_attached_files(media, team_session):
    registration = sign_up(team_session)
    admit([registration.pk])
    when = team_session.starts_at - timedelta(days=3)
    assert list(due_programme_homework(when)) == []
    attach_documents(team_session)
    assert list(due_programme_homework(when)) == [registration]


@pytest.mark.django_db
def test_sweep_mails_programme_and_homework_once_with_both_files(media, team_session):
    registration = sign_up(team_session)
    admit([registration.pk])
    attach_documents(team_session)
    when = team_session.starts_at - timedelta(days=6)
    assert len([m for m in queue_due_mails(when) if m.kind == "programme_homework"]) == 3
    assert len([m for m in queue_due_mails(when) if m.kind == "programme_homework"]) == 0
    outbox.outbox.clear()
    for mail in Mail.objects.filter(kind="programme_homework"):
        assert deliver(mail.pk)
    assert len(outbox.outbox) == 3
    message = outbox.outbox[0]
    assert message.subject.startswith("Programma en huiswerk")
    assert sorted(name for name, _content, _type in message.attachments) == ["huiswerk.pdf", "programma.pdf"]
    assert {content for _name, content, _type in message.attachments} == {b"%PDF-1.4 programma", b"%PDF-1.4 huiswerk"}


@pytest.mark.django_db
def test_the_periodic_sweep_records_due_programme_homework(media, organisation):
    event = make_team_session(organisation, starts_in=timedelta(days=5))
    event.registration_closes_at = None
    event.save()
    registration = Registration.objects.create(
        event=event, series=event.series, status="confirmed", email="c@x.nl", contact_name="C", municipality="Ede"
    )
    for member in team("Ede"):
        Participant.objects.create(
            registration=registration,
            given_name=member.given_name,
            family_name=member.family_name,
            email=member.email,
            role=member.role,
        )
    attach_documents(event)
    sweep_due_mails()
    assert Mail.objects.filter(registration=registration, kind="programme_homework").count() == 3
