"""Organisers see and change only the events of their own organisations."""

import pytest
from django.urls import reverse

from conftest import make_conference, person
from registrations.models import Registration
from registrations.services.registering import register


@pytest.fixture
def two_events(organisation, other_organisation):
    ours = make_conference(organisation, slug="onze-dag")
    theirs = make_conference(other_organisation, slug="hun-dag")
    for event in (ours, theirs):
        workshops = [r.workshops.first().pk for r in event.rounds.all()]
        register(event.pk, people=[person(event.pk, workshops)])
    return ours, theirs


def test_change_lists_show_only_own_organisation(client, organiser, two_events):
    ours, theirs = two_events
    client.force_login(organiser)
    events_html = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert f"/{ours.pk}/change/" in events_html
    assert f"/{theirs.pk}/change/" not in events_html
    registrations_html = client.get(reverse("admin:registrations_registration_changelist")).content.decode()
    ours_registration = Registration.objects.get(event=ours)
    theirs_registration = Registration.objects.get(event=theirs)
    assert f"/{ours_registration.pk}/change/" in registrations_html
    assert f"/{theirs_registration.pk}/change/" not in registrations_html


@pytest.mark.parametrize("model", ["events_event", "registrations_registration", "workshops_workshop"])
def test_direct_urls_to_another_organisations_objects_do_not_open(client, organiser, two_events, model):
    ours, theirs = two_events
    objects = {
        "events_event": (ours, theirs),
        "registrations_registration": (Registration.objects.get(event=ours), Registration.objects.get(event=theirs)),
        "workshops_workshop": (ours.rounds.first().workshops.first(), theirs.rounds.first().workshops.first()),
    }[model]
    client.force_login(organiser)
    own = client.get(reverse(f"admin:{model}_change", args=[objects[0].pk]))
    assert own.status_code == 200
    other = client.get(reverse(f"admin:{model}_change", args=[objects[1].pk]))
    # The admin answers "does not exist" with a redirect to its index; never the object.
    assert other.status_code in (302, 404)
    if other.status_code == 302:
        assert other.url == reverse("admin:index")
    deleted = client.post(reverse(f"admin:{model}_delete", args=[objects[1].pk]), {"post": "yes"})
    assert deleted.status_code in (302, 404)
    assert type(objects[1]).objects.filter(pk=objects[1].pk).exists()


def test_an_event_cannot_be_attached_to_another_organisation(client, organiser, two_events, other_organisation):
    ours, _ = two_events
    client.force_login(organiser)
    url = reverse("admin:events_event_change", args=[ours.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "organisations": [other_organisation.pk],
            "starts_at_0": ours.starts_at.strftime("%d-%m-%Y"),
            "starts_at_1": "10:00:00",
            "ends_at_0": ours.ends_at.strftime("%d-%m-%Y"),
            "ends_at_1": "16:00:00",
            "programme-TOTAL_FORMS": "0",
            "programme-INITIAL_FORMS": "0",
        }
    )
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        data.pop(key, None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "organisations" in response.context["adminform"].form.errors
    assert list(ours.organisations.all()) != [other_organisation]


def test_superuser_sees_everything(admin_client, two_events):
    html = admin_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert all(f"/{event.pk}/change/" in html for event in two_events)
