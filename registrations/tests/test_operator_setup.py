"""What README's "A new site, step by step" tells a new operator works as written."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from registrations.tests.mailservers import SmtpSink

ROOT = Path(settings.BASE_DIR)


def run_manage(*args, **env):
    """manage.py in a process of its own, with the production environment ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SITE_URL", "EMAIL_URL", "DEBUG", "DEFAULT_FROM"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sendtestemail_sends_a_real_mail_through_email_url_from_default_from_email():
    with SmtpSink() as sink:
        result = run_manage(
            "sendtestemail",
            "beheer@gemeente.example.nl",
            SECRET_KEY="een-geheime-sleutel-voor-deze-test-die-lang-genoeg-is-0123456789",
            EMAIL_URL=sink.url,
            DEFAULT_FROM_EMAIL="Regiodag <noreply@gemeente.example.nl>",
        )
        assert result.returncode == 0, result.stderr
        (message,) = sink.received()
    assert str(message["To"]) == "beheer@gemeente.example.nl"
    assert str(message["From"]) == "Regiodag <noreply@gemeente.example.nl>"


def test_the_default_site_url_is_the_address_make_run_prints():
    printed = re.search(r"draait op (http://[\w.:]+)/", (ROOT / "Makefile").read_text()).group(1)
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == printed
