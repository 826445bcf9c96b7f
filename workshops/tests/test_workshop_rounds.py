"""A workshop choice's round is its workshop's: the admin says so, the database holds it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from conftest import make_conference, person
from registrations.models import WorkshopChoice
from registrations.services.registering import register
from workshops.models import Workshop


def checked_now():
    """Runs the deferred foreign-key checks at once, as a commit would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def day(organisation):
    return make_conference(organisation)


def workshops_of(day):
    return [list(r.workshops.order_by("pk")) for r in day.rounds.order_by("number")]


@pytest.mark.django_db
def test_a_workshop_that_was_chosen_cannot_move_to_another_round(day):
    first, second = workshops_of(day)
    register(day.pk, people=[person(1, [first[0].pk, second[0].pk])])
    moved = Workshop.objects.get(pk=first[0].pk)
    moved.round = second[0].round
    with pytest.raises(ValidationError) as refused:
        moved.full_clean()
    assert "Deelnemers hebben deze workshop al gekozen" in refused.value.message_dict["round"][0]

    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.filter(pk=moved.pk).update(round=second[0].round)
        checked_now()


@pytest.mark.django_db
def test_a_workshop_nobody_chose_can_move_to_another_round(day):
    first, second = workshops_of(day)
    moved = first[1]
    moved.round = second[0].round
    moved.full_clean()
    moved.save()
    assert Workshop.objects.get(pk=moved.pk).round == second[0].round


@pytest.mark.django_db
def test_the_database_refuses_a_choice_in_another_round_than_its_workshops(day):
    first, second = workshops_of(day)
    registration = register(day.pk, people=[person(1, [first[0].pk, second[0].pk])])
    choice = WorkshopChoice.objects.get(participant__registration=registration, workshop=first[0])
    # Its own choice in the second round out of the way, so that only the round is wrong.
    WorkshopChoice.objects.filter(participant__registration=registration, workshop=second[0]).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopChoice.objects.filter(pk=choice.pk).update(round=second[0].round)
        checked_now()


@pytest.mark.django_db
def test_the_round_choice_of_a_workshop_names_each_rounds_event(admin_client, organisation, day):
    make_conference(organisation, slug="tweede-dag", title="Tweede dag")
    page = admin_client.get(reverse("admin:workshops_workshop_add")).content.decode()
    assert ">Testdag van de Regio&#x27;s – Workshopronde 1</option>" in page
    assert ">Tweede dag – Workshopronde 1</option>" in page

    workshop = day.rounds.get(number=1).workshops.first()
    page = admin_client.get(reverse("admin:workshops_workshop_change", args=[workshop.pk])).content.decode()
    assert ">Tweede dag – Workshopronde 2</option>" in page


@pytest.mark.django_db
def test_the_round_filter_of_the_workshop_list_names_each_rounds_event(admin_client, organisation, day):
    make_conference(organisation, slug="tweede-dag", title="Tweede dag")
    page = admin_client.get(reverse("admin:workshops_workshop_changelist")).content.decode()
    assert "Tweede dag – Workshopronde 1" in page
    assert "Testdag van de Regio&#x27;s – Workshopronde 1" in page
