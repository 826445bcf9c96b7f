from datetime import timedelta

import pytest

from conftest import make_conference, person
from registrations.models import Mail, Participant
from registrations.services.registering import register
from registrations.services.retention import anonymise_expired


@pytest.mark.django_db
def test_personal_data_of_events_past_retention_is_anonymised(organisation):
    old = make_conference(organisation, slug="oud", rounds=0)
    recent = make_conference(organisation, slug="recent", rounds=0)
    register(old.pk, people=[person(1, dietary_wishes="vegetarisch")])
    register(recent.pk, people=[person(2)])
    later = old.ends_at + timedelta(days=400)
    recent.starts_at, recent.ends_at = later - timedelta(days=10), later - timedelta(days=9)
    recent.save()

    assert anonymise_expired(now=later, retention_days=365) == 1
    old_participant = Participant.objects.get(registration__event=old)
    assert "Mark" not in old_participant.full_name and old_participant.dietary_wishes == ""
    assert old_participant.email.endswith("anoniem.invalid")
    assert not Mail.objects.filter(registration__event=old, recipient__contains="example.org").exists()
    assert Participant.objects.get(registration__event=recent).family_name == "Mark2"
    assert anonymise_expired(now=later, retention_days=365) == 0
