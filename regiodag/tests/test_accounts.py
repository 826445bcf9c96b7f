"""Organiser accounts as a security officer expects: lockout, second factor, session limits."""

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import make_organiser, totp_code, totp_device
from regiodag.accounts.middleware import SIGNED_IN_AT
from regiodag.accounts.second_factor import new_recovery_codes

PASSWORD = "geheim-wachtwoord-123"
INDEX = "/beheer/"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": INDEX}, REMOTE_ADDR=address
    )


def signed_in(client):
    return "_auth_user_id" in client.session


# --- Lockout ----------------------------------------------------------------------------


def test_forty_wrong_passwords_in_a_row_lock_the_account_and_the_right_one_is_refused(organiser):
    client = Client()
    answers = [sign_in(client, "organisator", f"fout-wachtwoord-{n}").status_code for n in range(40)]
    assert answers[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(answers[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}
    response = sign_in(client, "organisator", PASSWORD)
    assert response.status_code == 429
    assert "geblokkeerd" in response.content.decode()
    assert not signed_in(client)


def test_an_account_is_locked_whatever_address_the_failures_come_from(organiser, other_organiser):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "organisator", "fout-wachtwoord", address=f"10.0.1.{n}")
    client = Client()
    assert sign_in(client, "organisator", PASSWORD, address="10.0.9.9").status_code == 429
    assert not signed_in(client)
    # The address itself is not locked: another account signs in from it.
    assert sign_in(client, "andere", PASSWORD, address="10.0.9.9").status_code == 302
    assert signed_in(client)


def test_an_address_is_locked_whatever_accounts_it_tries(organiser):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), f"geraden-{n}", "fout-wachtwoord", address="10.0.2.1")
    client = Client()
    assert sign_in(client, "organisator", PASSWORD, address="10.0.2.1").status_code == 429
    assert not signed_in(client)
    assert sign_in(client, "organisator", PASSWORD, address="10.0.2.2").status_code == 302


def test_the_lockout_ends_after_the_cool_off(organiser):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "organisator", "fout-wachtwoord")
    assert sign_in(Client(), "organisator", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert sign_in(Client(), "organisator", PASSWORD).status_code == 302


# --- Second factor ----------------------------------------------------------------------


def test_staff_without_a_second_factor_reach_neither_the_admin_nor_check_in(organiser):
    client = Client()
    assert sign_in(client, "organisator", PASSWORD).status_code == 302
    for url in (INDEX, reverse("admin:events_event_changelist"), reverse("checkin:index")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:setup")), url


def test_an_organiser_sets_up_the_app_and_gets_recovery_codes_once(organiser):
    client = Client()
    sign_in(client, "organisator", PASSWORD)
    page = client.get(reverse("accounts:setup"), {"next": INDEX}).content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=organiser, confirmed=False)
    assert "".join(re.search(r'id="secret">([A-Z2-7 ]+)<', page).group(1).split()) in device.config_url

    refused = client.post(reverse("accounts:setup"), {"code": "000000", "next": INDEX})
    assert "klopt niet" in refused.content.decode()
    assert client.get(INDEX).status_code == 302
    time.sleep(1.1)  # django-otp lets a device try again only a second after one wrong code

    done = client.post(reverse("accounts:setup"), {"code": totp_code(device), "next": INDEX})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert done["Cache-Control"].startswith("max-age=0")
    assert client.get(INDEX).status_code == 200
    # Set up once: the page now asks for a code instead of showing the key again.
    assert client.get(reverse("accounts:setup"))["Location"].startswith(INDEX)
    second = Client()
    sign_in(second, "organisator", PASSWORD)
    assert second.get(reverse("accounts:setup"))["Location"].startswith(reverse("accounts:verify"))


def test_a_code_from_the_app_opens_the_admin(organiser):
    device = totp_device(organiser)
    client = Client()
    sign_in(client, "organisator", PASSWORD)
    assert client.get(INDEX)["Location"].startswith(reverse("accounts:verify"))
    assert "klopt niet" in client.post(reverse("accounts:verify"), {"code": "123456"}).content.decode()
    assert client.get(INDEX).status_code == 302
    time.sleep(1.1)  # django-otp lets a device try again only a second after one wrong code
    response = client.post(reverse("accounts:verify"), {"code": totp_code(device), "next": INDEX})
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200
    assert client.get(reverse("checkin:index")).status_code == 200


def test_a_recovery_code_works_once(organiser):
    totp_device(organiser)
    code = new_recovery_codes(organiser)[0]
    first = Client()
    sign_in(first, "organisator", PASSWORD)
    assert first.post(reverse("accounts:verify"), {"code": code.upper()})["Location"] == INDEX
    assert first.get(INDEX).status_code == 200

    again = Client()
    sign_in(again, "organisator", PASSWORD)
    assert "klopt niet" in again.post(reverse("accounts:verify"), {"code": code}).content.decode()
    assert again.get(INDEX).status_code == 302


def test_the_demo_may_switch_the_second_factor_off(organiser, settings):
    settings.REGIODAG_REQUIRE_2FA = False
    client = Client()
    sign_in(client, "organisator", PASSWORD)
    assert client.get(INDEX).status_code == 200


def test_a_redirect_after_the_second_factor_stays_on_this_site(organiser):
    device = totp_device(organiser)
    client = Client()
    sign_in(client, "organisator", PASSWORD)
    response = client.post(reverse("accounts:verify"), {"code": totp_code(device), "next": "https://kwaad.example/"})
    assert response["Location"] == INDEX


# --- Sessions ---------------------------------------------------------------------------


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_ends_after_thirty_idle_minutes(client, organiser):
    client.force_login(organiser)
    assert client.get(INDEX).status_code == 200
    expires = session_row(client).expire_date
    assert abs(expires - (timezone.now() + timedelta(minutes=30))) < timedelta(seconds=10)
    # Every request counts as activity and pushes the end forward.
    Session.objects.filter(pk=session_row(client).pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(INDEX).status_code == 200
    assert session_row(client).expire_date > timezone.now() + timedelta(minutes=29)
    # Thirty minutes without a request: the session is gone.
    Session.objects.filter(pk=session_row(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def set_signed_in_at(client, seconds_ago):
    session = client.session
    session[SIGNED_IN_AT] = int(time.time() - seconds_ago)
    session.save()


def test_a_session_ends_eight_hours_after_signing_in_however_busy(client, organiser):
    client.force_login(organiser)
    set_signed_in_at(client, 8 * 3600 - 60)
    assert client.get(INDEX).status_code == 200
    set_signed_in_at(client, 8 * 3600 + 1)
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not signed_in(client)


def test_signing_in_again_starts_the_eight_hours_anew(organiser):
    client = Client()
    sign_in(client, "organisator", PASSWORD)
    set_signed_in_at(client, 9 * 3600)
    sign_in(client, "organisator", PASSWORD)
    assert time.time() - client.session[SIGNED_IN_AT] < 60


# --- Passwords --------------------------------------------------------------------------


def test_a_password_needs_twelve_characters():
    with pytest.raises(ValidationError, match="12"):
        validate_password("Kx9#mQ2!vLp")
    validate_password("Kx9#mQ2!vLpz")


def test_organisers_in_the_fixtures_pass_the_second_factor_by_force_login(client, organiser):
    # The shared fixture's promise, which every admin test relies on.
    client.force_login(make_organiser("nog-een", organiser.organisations.get()))
    assert client.get(INDEX).status_code == 200


def test_the_session_limits_leave_visitors_without_a_session_alone(db):
    # Asking whether a visitor is signed in would read the session: the answer would vary on Cookie.
    response = Client().get("/favicon.ico")
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:axes_accessattempt_changelist",
        "admin:axes_accesslog_changelist",
        "admin:otp_totp_totpdevice_changelist",
        "admin:otp_static_staticdevice_changelist",
    ],
)
def test_sign_in_records_and_devices_are_for_the_platform_admin_only(client, admin_client, organiser, changelist):
    client.force_login(organiser)
    assert client.get(reverse(changelist)).status_code == 403
    assert admin_client.get(reverse(changelist)).status_code == 200


def through_the_proxy(username, password, forwarded_for):
    return Client().post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.9.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_the_client_address_counts_not_the_proxy(organiser, other_organiser, settings):
    settings.REGIODAG_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # A made-up entry on the left does not hide the address our proxy saw.
        through_the_proxy(f"geraden-{n}", "fout-wachtwoord", f"192.0.2.{n}, 198.51.100.1")
    assert through_the_proxy("organisator", PASSWORD, "198.51.100.1").status_code == 429
    assert through_the_proxy("andere", PASSWORD, "198.51.100.2").status_code == 302
