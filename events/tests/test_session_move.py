"""A driehoek session moved in the admin takes its closing moment along (four-week rule)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_team_session
from events.models import team_deadline

pytestmark = pytest.mark.django_db


def change_form_data(client, url, **dates):
    """What the admin's change form sends as it stands, with ``dates`` (name: datetime) set."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        value = dates.get(key, getattr(form.instance, key))
        data.pop(key, None)
        if value is not None:
            local = timezone.localtime(value)
            data[f"{key}_0"], data[f"{key}_1"] = local.strftime("%d-%m-%Y"), local.strftime("%H:%M:%S")
    for formset in context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management[name].html_name: management[name].value() for name in management.fields})
    return data


def test_a_session_moved_earlier_closes_four_weeks_before_its_new_date(admin_client, organisation):
    session = make_team_session(organisation, starts_in=timedelta(days=70))
    assert session.registration_closes_at == team_deadline(session.starts_at)
    new_start = session.starts_at - timedelta(days=21)
    url = reverse("admin:events_event_change", args=[session.pk])
    data = change_form_data(admin_client, url, starts_at=new_start, ends_at=new_start + timedelta(hours=4))

    response = admin_client.post(url, data, follow=True)

    session.refresh_from_db()
    assert session.starts_at == new_start
    assert session.registration_closes_at == team_deadline(new_start) < new_start
    shown = [str(message) for message in response.context["messages"]]
    assert any("de aanmelding sluit nu op" in message for message in shown), shown


def test_a_session_moved_later_keeps_following_the_rule_and_an_earlier_close_stays(organisation):
    session = make_team_session(organisation, starts_in=timedelta(days=70))
    session.starts_at += timedelta(days=14)
    session.ends_at += timedelta(days=14)
    session.full_clean()
    assert session.registration_closes_at == team_deadline(session.starts_at)

    early = make_team_session(organisation, slug="vroeg", starts_in=timedelta(days=70))
    early.registration_closes_at = early.starts_at - timedelta(weeks=6)
    early.save()
    early.starts_at += timedelta(days=7)
    early.ends_at += timedelta(days=7)
    early.full_clean()
    assert early.registration_closes_at == early.starts_at - timedelta(weeks=7)
    assert not early.closing_moved
