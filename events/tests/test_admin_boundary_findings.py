"""The leaks of the organisation boundary found in issue 13, one test each.

The organiser is BMC's (``organiser``); the other organisation is VNG. Each test failed on the
code before the boundary became one rule without a fallback to everything.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from conftest import make_conference, person
from events.models import Event, Series, Speaker, Venue
from events.scoping import visible
from events.tests.admin_world import submitted
from registrations.models import Mail, Participant, WorkshopChoice
from registrations.services.registering import register
from workshops.models import Workshop


@pytest.fixture
def theirs(other_organisation):
    event = make_conference(other_organisation, slug="vng-dag", title="VNG-dag", workshop_title="VNG-workshop {index}")
    workshops = [rnd.workshops.order_by("pk").first().pk for rnd in event.rounds.order_by("number")]
    register(event.pk, people=[person(7, workshops, family_name="Vngdeelnemer")])
    return event


@pytest.fixture
def ours(organisation):
    return make_conference(organisation, slug="bmc-dag", title="BMC-dag")


def test_a_workshop_choice_offers_and_takes_only_own_participants_and_workshops(client, organiser, ours, theirs):
    client.force_login(organiser)
    url = reverse("admin:registrations_workshopchoice_add")
    html = client.get(url).content.decode()
    assert "Vngdeelnemer" not in html
    assert "VNG-workshop" not in html
    participant = Participant.objects.get(registration__event=theirs)
    workshop = Workshop.objects.filter(round__event=theirs).exclude(choices__participant=participant).first()
    data = {"participant": participant.pk, "workshop": workshop.pk, "round": workshop.round_id}
    response = client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"participant", "workshop", "round"}
    assert not WorkshopChoice.objects.filter(workshop=workshop).exists()


def test_a_workshop_cannot_be_added_to_a_round_of_another_organisations_event(client, organiser, ours, theirs):
    client.force_login(organiser)
    their_round = theirs.rounds.first()
    url = reverse("admin:workshops_workshop_add")
    assert "VNG-dag" not in client.get(url).content.decode()
    data = {"round": their_round.pk, "title": "Ondergeschoven", "capacity": 10, "materials-TOTAL_FORMS": 0}
    data["materials-INITIAL_FORMS"] = 0
    response = client.post(url, data)
    assert response.status_code == 200
    assert "round" in response.context["adminform"].form.errors
    assert not Workshop.objects.filter(title="Ondergeschoven").exists()


@pytest.mark.parametrize("admin_name", ["workshops_round", "workshops_workshop", "events_event", "registrations_mail"])
def test_list_filters_do_not_show_another_organisations_drafts(client, organiser, ours, theirs, admin_name):
    theirs.status = Event.Status.DRAFT
    theirs.title = "Geheim concept van de VNG"
    theirs.series = Series.objects.create(title="Geheime reeks van de VNG", slug="geheim")
    theirs.save()
    theirs.series.organisations.add(*theirs.organisations.all())
    client.force_login(organiser)
    html = client.get(reverse(f"admin:{admin_name}_changelist")).content.decode()
    assert "Geheim" not in html


def test_the_mail_list_counts_only_the_organisers_own_mails(client, admin_client, organiser, other_organisation):
    # A conference whose definitive confirmation is due, and an acknowledgement left waiting.
    due = make_conference(other_organisation, slug="binnenkort", rounds=0, starts_in=timedelta(days=3))
    register(due.pk, people=[person(8)])
    Mail.objects.filter(registration__event=due).update(created_at=timezone.now() - timedelta(hours=1))
    url = reverse("admin:registrations_mail_changelist")
    platform = admin_client.get(url).context
    assert sum(count for _kind, count in platform["due_counts"]) >= 1
    assert platform["due_waiting"] >= 1
    client.force_login(organiser)
    own = client.get(url).context
    assert sum(count for _kind, count in own["due_counts"]) == 0
    assert own["due_waiting"] == 0


@pytest.mark.parametrize("model", [Venue, Speaker])
def test_venues_and_speakers_are_changed_only_by_their_owner(
    client, organiser, organisation, other_organisation, model
):
    fields = {"city": "Zwolle"} if model is Venue else {}
    theirs = model.objects.create(name="Van de VNG", owner=other_organisation, **fields)
    shared = model.objects.create(name="Gedeeld", owner=None, **fields)
    own = model.objects.create(name="Van BMC", owner=organisation, **fields)
    name = f"admin:events_{model._meta.model_name}"
    client.force_login(organiser)
    listed = client.get(reverse(f"{name}_changelist")).content.decode()
    assert "Van de VNG" not in listed and "Gedeeld" in listed and "Van BMC" in listed
    # Another organisation's: not even opened.
    assert client.get(reverse(f"{name}_change", args=[theirs.pk])).status_code == 302
    assert client.post(reverse(f"{name}_delete", args=[theirs.pk]), {"post": "yes"}).status_code == 302
    # Shared: read, not changed or deleted.
    assert client.get(reverse(f"{name}_change", args=[shared.pk])).status_code == 200
    assert client.post(reverse(f"{name}_change", args=[shared.pk]), {"name": "Gekaapt", **fields}).status_code == 403
    assert client.post(reverse(f"{name}_delete", args=[shared.pk]), {"post": "yes"}).status_code == 403
    # Own: changed, and kept the organisation's own.
    data = {"name": "Hernoemd", "owner": organisation.pk, **fields}
    assert client.post(reverse(f"{name}_change", args=[own.pk]), data).status_code == 302
    assert model.objects.get(pk=own.pk).name == "Hernoemd"
    data = {"name": "Nieuw", "owner": other_organisation.pk, **fields}
    response = client.post(reverse(f"{name}_add"), data)
    assert "owner" in response.context["adminform"].form.errors
    assert sorted(model.objects.values_list("name", flat=True)) == ["Gedeeld", "Hernoemd", "Van de VNG"]


def test_an_organiser_chooses_own_and_shared_venues_for_an_event(client, organiser, organisation, other_organisation):
    Venue.objects.create(name="Zaal van de VNG", city="Utrecht", owner=other_organisation)
    Venue.objects.create(name="Stadhuis", city="Utrecht")
    Venue.objects.create(name="Zaal van BMC", city="Utrecht", owner=organisation)
    client.force_login(organiser)
    form = client.get(reverse("admin:events_event_add")).context["adminform"].form
    assert sorted(form.fields["venue"].queryset.values_list("name", flat=True)) == ["Stadhuis", "Zaal van BMC"]


@pytest.mark.parametrize("model", [Event, Series])
def test_saving_keeps_the_co_organisers_the_editor_cannot_see(
    client, organiser, organisation, other_organisation, model
):
    if model is Event:
        row = make_conference(organisation, slug="samen", rounds=0)
    else:
        row = Series.objects.create(title="Samen", slug="samen")
    row.organisations.set([organisation, other_organisation])
    url = reverse(f"admin:events_{model._meta.model_name}_change", args=[row.pk])
    client.force_login(organiser)
    data = submitted(client.get(url).content.decode())
    assert data["organisations"] == [str(organisation.pk)]
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert set(row.organisations.all()) == {organisation, other_organisation}


def test_saving_a_shared_event_keeps_the_co_organisers_venue_and_speakers(
    client, organiser, organisation, other_organisation
):
    event = make_conference(organisation, slug="samen", rounds=0)
    event.organisations.add(other_organisation)
    event.venue = Venue.objects.create(name="Zaal van de VNG", city="Utrecht", owner=other_organisation)
    event.save()
    theirs = Speaker.objects.create(name="Spreker van de VNG", owner=other_organisation)
    own = Speaker.objects.create(name="Spreker van BMC", owner=organisation)
    item = event.programme.create(starts_at=event.starts_at, title="Opening", moderator=theirs)
    item.speakers.set([theirs, own])
    url = reverse("admin:events_event_change", args=[event.pk])
    client.force_login(organiser)
    page = client.get(url)
    form = page.context["adminform"].form
    # The current venue stays choosable on this event; another event's form does not offer it.
    assert form.fields["venue"].queryset.filter(pk=event.venue_id).exists()
    assert not client.get(reverse("admin:events_event_add")).context["adminform"].form.fields["venue"].queryset
    response = client.post(url, submitted(page.content.decode()))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    event.refresh_from_db()
    item.refresh_from_db()
    assert event.venue.name == "Zaal van de VNG"
    assert item.moderator == theirs
    assert set(item.speakers.all()) == {theirs, own}


def test_the_platform_administrator_may_still_remove_a_co_organiser(admin_client, organisation, other_organisation):
    row = Series.objects.create(title="Samen", slug="samen")
    row.organisations.set([organisation, other_organisation])
    url = reverse("admin:events_series_change", args=[row.pk])
    data = submitted(admin_client.get(url).content.decode())
    data["organisations"] = [str(organisation.pk)]
    assert admin_client.post(url, data).status_code == 302
    assert list(row.organisations.all()) == [organisation]


def test_a_model_without_a_path_to_an_organisation_shows_organisers_nothing(organiser, admin_user):
    assert Permission.objects.exists()
    assert not visible(Permission.objects.all(), organiser).exists()
    assert visible(Permission.objects.all(), admin_user).count() == Permission.objects.count()


def test_a_workshop_choice_keeps_to_the_participants_event(client, organiser, organisation, ours):
    other_day = make_conference(organisation, slug="tweede-bmc-dag", title="Tweede BMC-dag")
    workshops = [rnd.workshops.order_by("pk").first().pk for rnd in other_day.rounds.order_by("number")]
    register(other_day.pk, people=[person(9, workshops)])
    participant = Participant.objects.get(registration__event=other_day)
    workshop = Workshop.objects.filter(round__event=ours).first()
    client.force_login(organiser)
    data = {"participant": participant.pk, "workshop": workshop.pk, "round": workshop.round_id}
    response = client.post(reverse("admin:registrations_workshopchoice_add"), data)
    assert response.status_code == 200
    assert "round" in response.context["adminform"].form.errors
    assert not WorkshopChoice.objects.filter(workshop=workshop).exists()
