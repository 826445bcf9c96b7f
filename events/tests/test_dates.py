"""Times as each language writes them: 13.00 in Dutch, 13:00 in English, wherever shown."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from events.dates import hour

# 11.00 UTC on a summer day is 13.00 in Amsterdam: the filter also turns to local time.
ONE_PM = datetime(2026, 6, 18, 11, 0, tzinfo=UTC)


def render_hour(value):
    return Template("{% load regiodag %}{{ value|hour }}").render(Context({"value": value}))


@pytest.mark.parametrize(("language", "expected"), [("nl", "13.00"), ("en", "13:00")])
def test_hour_filter_writes_the_time_as_the_language_does(language, expected):
    with translation.override(language):
        assert render_hour(ONE_PM) == expected
        assert hour(ONE_PM) == expected


def test_no_time_is_no_text():
    with translation.override("en"):
        assert render_hour(None) == ""


def test_event_page_times_follow_the_chosen_language(client, conference):
    start, end = timezone.localtime(conference.starts_at), timezone.localtime(conference.ends_at)
    url = reverse("events:detail", args=[conference.slug])

    dutch = client.get(url).content.decode()
    assert f"{start:%H.%M}–{end:%H.%M} uur" in dutch

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert f"{start:%H:%M}–{end:%H:%M} hrs" in english
    assert f"{start:%H.%M}–" not in english
