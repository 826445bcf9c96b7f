"""What the public forms accept: one-line names, Dutch postcodes, sensible numbers, bounded
texts, Dutch messages (never a constraint's name), and no NUL reaching the database."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import person
from events.models import HostOffer
from regiodag.spam_trap import sign_start
from regiodag.text_validators import normalise_postcode, one_line
from registrations.models import Participant, Registration
from registrations.services.registering import register
from registrations.tests.team_helpers import form_data, host_offer_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.REGIODAG_RATE_LIMITS = {}
    settings.RATELIMIT_ENABLE = False


def offer(client, team_session, **overrides):
    url = reverse("registrations:host_offer", args=[team_session.series.slug])
    response = client.post(url, host_offer_data(team_session, **overrides))
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    "capacity, message",
    [
        ("0", "Vul in voor hoeveel personen de zaal plaats biedt: minstens 1."),
        ("-5", "Vul in voor hoeveel personen de zaal plaats biedt: minstens 1."),
        ("5000", "Een zaal voor meer dan 1000 personen is voor deze bijeenkomsten niet nodig."),
        ("99999999999999999999", "Een zaal voor meer dan 1000 personen is voor deze bijeenkomsten niet nodig."),
    ],
)
def test_room_capacity_out_of_range_is_told_in_dutch_not_by_the_constraints_name(
    client, team_session, capacity, message
):
    status, page = offer(client, team_session, room_capacity=capacity)
    assert status == 200
    assert message in page
    assert "hostoffer_room_capacity_positive" not in page and "Beperking" not in page
    assert not HostOffer.objects.exists()


def test_the_room_capacity_constraint_speaks_dutch(team_session):
    [constraint] = [c for c in HostOffer._meta.constraints if c.name == "hostoffer_room_capacity_positive"]
    assert str(constraint.violation_error_message) == "De capaciteit van de zaal moet minstens 1 persoon zijn."


def test_a_megabyte_of_notes_is_refused_and_a_page_is_kept(client, team_session):
    status, page = offer(client, team_session, dates_note="x" * 1_000_000)
    assert "Zorg dat deze waarde niet meer dan 2000 tekens bevat (het zijn er nu 1000000)." in page
    assert not HostOffer.objects.exists()
    offer(client, team_session, dates_note="Liever op dinsdag.\nNiet in de zomer.")
    assert HostOffer.objects.get().dates_note == "Liever op dinsdag.\nNiet in de zomer."


@pytest.mark.parametrize("postcode", ["ABCDE", "12345", "0123 AB", "1234 A8", "1234 ABC"])
def test_a_postcode_that_is_not_dutch_is_refused(client, team_session, postcode):
    status, page = offer(client, team_session, postcode=postcode)
    assert "Vul een Nederlandse postcode in, zoals 1234 AB." in page
    assert not HostOffer.objects.exists()


@pytest.mark.parametrize("typed", ["8162ak", " 8162  AK ", "8162 AK", "8162Ak"])
def test_a_dutch_postcode_is_stored_in_one_shape(client, team_session, typed):
    offer(client, team_session, postcode=typed)
    assert HostOffer.objects.get().postcode == "8162 AK"
    assert normalise_postcode(typed) == "8162 AK"


def test_the_host_offer_form_refuses_a_post_sent_as_soon_as_it_was_shown(client, team_session, settings):
    settings.REGIODAG_MIN_FILL_SECONDS = 3
    status, page = offer(client, team_session, started=sign_start(time.time()))
    assert "Het formulier is wel erg snel verstuurd" in page
    assert not HostOffer.objects.exists()


def registration_post(event, **overrides):
    data = {
        "given_name": "Esther",
        "name_prefix": "van der",
        "family_name": "Mark",
        "email": "esther@example.org",
        "organisation": "Gemeente Epe",
        "function": "adviseur",
        "privacy": "on",
        "website": "",
        "started": sign_start(time.time() - 60),
        **{f"round_{r.number}": r.workshops.first().pk for r in event.rounds.all()},
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["Esther\nvan der Mark", "Es\rther", "Es\tther", "Es\x1bther", "Es\u2028ther"])
def test_names_refuse_line_breaks_and_control_characters(client, conference, name):
    response = client.post(
        reverse("registrations:register", args=[conference.slug]), registration_post(conference, given_name=name)
    )
    assert "Gebruik hier één regel tekst, zonder regeleinden of andere stuurtekens." in response.content.decode()
    assert not Registration.objects.exists()
    with pytest.raises(ValidationError):
        one_line(name)


def test_names_as_people_write_them_pass(client, conference):
    name = "Zoë 👩‍💻 Çakır-O'Brien"  # with a zero-width joiner inside the emoji
    response = client.post(
        reverse("registrations:register", args=[conference.slug]), registration_post(conference, given_name=name)
    )
    assert response.status_code == 302
    assert Participant.objects.get().given_name == name


def test_the_team_form_refuses_a_member_name_with_a_line_break(client, team_session):
    response = client.post(
        reverse("registrations:register_team", args=[team_session.slug]),
        form_data(**{"lid2-family_name": "Burge\nmeester"}),
    )
    assert "zonder regeleinden" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_model_saved_by_an_organiser_checks_the_name_too(conference):
    registration = register(
        conference.pk, people=[person(1, [r.workshops.first().pk for r in conference.rounds.all()])]
    )
    participant = registration.participants.get()
    participant.family_name = "Mark\nvan der"
    with pytest.raises(ValidationError) as refused:
        participant.full_clean()
    assert "family_name" in refused.value.message_dict


@pytest.mark.parametrize(
    "path",
    [
        "/aanmelding/%00abc/",
        "/aanmelding/%00abc/afmelden/",
        "/aanmelding/%00abc/bevestiging/",
        "/materiaal/1/%00.pdf",
        "/?organisatie=%00",
        "/?reeks=a%00b",
    ],
)
def test_a_nul_in_an_address_is_a_400_in_dutch(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "Dit verzoek kunnen we niet verwerken" in response.content.decode()


def test_a_nul_in_a_personal_links_mail_or_material_id_is_not_a_500(client, conference):
    registration = register(
        conference.pk, people=[person(1, [r.workshops.first().pk for r in conference.rounds.all()])]
    )
    for tail in ("mail/%00/", "materiaal/%001/", "mail/1%00/"):
        assert client.get(f"/aanmelding/{registration.token}/{tail}").status_code in (400, 404)


def test_a_nul_in_a_form_field_is_refused_before_the_database(client, conference):
    response = client.post(
        reverse("registrations:register", args=[conference.slug]), registration_post(conference, function="a\x00b")
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_every_constraint_a_form_can_meet_speaks_dutch():
    """A refused save in the admin shows the constraint's message; without one of its own that
    is Django's "Constraint 'name' is violated", the database rule's name. Unique rules on
    plain fields have Django's own message naming the fields, which is fine."""
    from django.apps import apps
    from django.db.models import UniqueConstraint

    nameless = []
    for model in apps.get_app_configs():
        if model.label not in {"events", "workshops", "registrations"}:
            continue
        for model_class in model.get_models():
            for constraint in model_class._meta.constraints:
                plain_unique = isinstance(constraint, UniqueConstraint) and constraint.condition is None
                if (
                    not plain_unique
                    and constraint.violation_error_message == constraint.default_violation_error_message
                ):
                    nameless.append(constraint.name)
    assert nameless == []


# Texts no form writes: the search text is made from the bounded name fields, and a mail's
# or a document's error is the text of an exception, written by a worker and only shown in
# the admin. A limit there would make the save that records a failure fail in its turn.
WRITTEN_BY_THE_APPLICATION = {
    ("Participant", "search_name"),
    ("Mail", "last_error"),
    ("GeneratedDocument", "error"),
}


def refused_by_a_constraint(model, field, value):
    """Whether one of the model's check constraints refuses ``value`` in ``field`` (the other
    fields left out, so that only rules about this field count)."""
    from django.db.models import CheckConstraint

    instance = model(**{field.attname: value})
    others = {f.name for f in model._meta.concrete_fields if f.name != field.name}
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            try:
                constraint.validate(model, instance, exclude=others)
            except ValidationError:
                return True
    return False


def test_every_text_field_has_a_length_limit_in_the_form_the_model_and_the_database():
    """A TextField's max_length binds only the form; full_clean needs a validator, and the
    database a check constraint (a CharField's column has its length already)."""
    from django.apps import apps
    from django.db.models import CharField, TextField

    unbounded = []
    for config in apps.get_app_configs():
        if config.label not in {"events", "workshops", "registrations"}:
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, CharField | TextField):
                    continue
                if (model.__name__, field.name) in WRITTEN_BY_THE_APPLICATION:
                    continue
                where, limit = f"{model.__name__}.{field.name}", field.max_length
                if limit is None:
                    unbounded.append(f"{where}: no max_length")
                    continue
                form_field = field.formfield()
                if field.editable and not field.choices and form_field.max_length != limit:
                    unbounded.append(f"{where}: the form allows {form_field.max_length}")
                try:
                    field.run_validators("x" * (limit + 1))
                    unbounded.append(f"{where}: full_clean allows more")
                except ValidationError:
                    pass
                if isinstance(field, TextField) and (
                    not refused_by_a_constraint(model, field, "x" * (limit + 1))
                    or refused_by_a_constraint(model, field, "x" * limit)
                ):
                    unbounded.append(f"{where}: no check constraint at {limit}")
    assert unbounded == []


def test_an_organisers_text_beyond_its_limit_is_refused_in_dutch_by_the_model_and_the_database(conference):
    from django.db import IntegrityError, transaction

    from events.models import DESCRIPTION_MAX, Event

    conference.description = "x" * (DESCRIPTION_MAX + 1)
    with pytest.raises(ValidationError) as refused:
        conference.full_clean()
    assert refused.value.message_dict["description"] == [
        f"Zorg dat deze waarde niet meer dan {DESCRIPTION_MAX} tekens bevat (het zijn er nu {DESCRIPTION_MAX + 1})."
    ]
    [constraint] = [c for c in Event._meta.constraints if c.name == "event_description_length"]
    message = f"‘beschrijving’ mag hoogstens {DESCRIPTION_MAX} tekens lang zijn."
    assert str(constraint.violation_error_message) == message
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=conference.pk).update(description="x" * (DESCRIPTION_MAX + 1))


def test_an_address_longer_than_its_column_is_a_form_error(client, conference, team_session):
    address = "a" * 250 + "@example.org"
    response = client.post(
        reverse("registrations:register", args=[conference.slug]), registration_post(conference, email=address)
    )
    assert response.status_code == 200 and "254" in response.content.decode()
    response = client.post(
        reverse("registrations:register_team", args=[team_session.slug]), form_data(**{"lid1-email": address})
    )
    assert response.status_code == 200 and "254" in response.content.decode()
    response = client.post(
        reverse("registrations:register_team", args=[team_session.slug]), form_data(contact_email=address)
    )
    assert response.status_code == 200 and "254" in response.content.decode()
    assert not Registration.objects.exists()
