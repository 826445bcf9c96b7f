"""The platform pieces: Celery reaches Redis and a real worker answers; deploy settings."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from regiodag.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_celery_app_reaches_redis():
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.connected


@pytest.mark.slow
def test_a_real_worker_answers_and_runs_the_health_task(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}"}
    log = tmp_path / "worker.log"
    hostname = f"health-{os.getpid()}@{os.uname().nodename}"
    with open(log, "w") as output:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "regiodag",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                f"--hostname={hostname}",
                "--without-mingle",
                "--without-gossip",
                "--queues=health",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        replies = []
        deadline = time.monotonic() + 120  # generous: CI machines can be busy
        while not replies and time.monotonic() < deadline:
            replies = app.control.ping(timeout=1.0, destination=[hostname])
        assert replies, "no Celery worker answered within 120 s:\n" + log.read_text()[-2000:]
        app.send_task("regiodag.health", queue="health")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "succeeded" not in log.read_text():
            time.sleep(0.2)
        assert "regiodag.health" in log.read_text() and "succeeded" in log.read_text(), log.read_text()[-2000:]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def deploy_check(**environment):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REGIODAG_REQUIRE_2FA"}},
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "regiodag.example.nl",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SHOW_DEBUG = "from django.conf import settings; print(settings.DEBUG, len(settings.SECRET_KEY))"


def test_no_debug_and_no_key_in_the_code_unless_debug_is_asked_for(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["REGIODAG_VAR_DIR"] = str(tmp_path)

    def settings_with(**more):
        command = [sys.executable, "manage.py", "shell", "-v0", "-c", SHOW_DEBUG]
        return subprocess.run(command, cwd=ROOT, env={**env, **more}, capture_output=True, text=True, timeout=120)

    refused = settings_with()
    assert refused.returncode != 0 and "SECRET_KEY ontbreekt" in refused.stderr
    assert settings_with(SECRET_KEY="k" * 60, ALLOWED_HOSTS="x.nl").stdout.split() == ["False", "60"]
    first, again = settings_with(DEBUG="1"), settings_with(DEBUG="1")
    assert first.stdout.split()[0] == "True" and first.stdout == again.stdout
    assert (tmp_path / "secret-key").read_text() not in (ROOT / "regiodag" / "settings.py").read_text()


def test_deploy_check_warns_when_production_switches_the_second_factor_off():
    result = deploy_check(REGIODAG_REQUIRE_2FA="0")
    assert result.returncode != 0
    assert "regiodag.W001" in result.stderr + result.stdout
    assert "REGIODAG_REQUIRE_2FA" in result.stderr + result.stdout


def test_defaults_are_dutch_and_amsterdam():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]


# Run in the demo database: the confirmed registrations of upcoming events, and the check-in name search for a
# demo driehoek on SQLite (accents and case ignored: "Súdwest-Fryslân" for "SÚDWEST fryslan").
DEMO_CHECKS = """
from django.utils import timezone
from events.models import Event
from registrations.checkin.views import search_expected
from registrations.models import Registration
print(Registration.objects.filter(status="confirmed", event__starts_at__gt=timezone.now()).count())
session = Event.objects.get(slug="leerbijeenkomst-driehoeken-demo-1")
print(len(search_expected(session, "sudwest FRYSLAN")), len(search_expected(session, "Súdwest griet")))
"""


@pytest.mark.slow
def test_a_newcomer_runs_on_the_embedded_sqlite_database(tmp_path):
    """What `make run` does first, with nothing but Python: migrate and load the demo."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    env.update(DEBUG="1", REGIODAG_VAR_DIR=str(tmp_path), CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    for command in (["migrate", "-v0"], ["load_demo"], ["load_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
    checks = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DEMO_CHECKS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checks.stdout.strip().splitlines()[-2:] == ["42", "3 1"], checks.stdout + checks.stderr
    assert (tmp_path / "regiodag.sqlite3").exists()
