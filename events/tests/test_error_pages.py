"""The pages a visitor meets when something is off speak Dutch (or English), in the site's own
layout; and the site has its icon."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from registrations.models import Registration
from registrations.tests.conference_helpers import form_data, register_url


@pytest.mark.django_db
def test_a_page_that_does_not_exist_says_so_in_dutch(client):
    response = client.get("/aanmelding/bestaat-niet-meer/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)" in html and "css/regiodag.css" in html


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_is_refused_in_dutch_and_stores_nothing(conference):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(register_url(conference), form_data(conference, 1))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Dit formulier kon niet worden verstuurd" in html and "css/regiodag.css" in html
    assert not Registration.objects.exists()


def test_the_server_error_page_needs_no_request_and_follows_the_language():
    assert "Er ging iets mis" in render_to_string("500.html")
    with translation.override("en"):
        assert "Something went wrong" in render_to_string("500.html")


@pytest.mark.django_db
def test_the_site_has_an_icon_also_where_a_browser_asks_for_favicon_ico(client):
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.svg"
    assert client.get(response["Location"]).status_code == 200
