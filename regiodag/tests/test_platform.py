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
            "--hostname=health@%h",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        replies = []
        deadline = time.monotonic() + 30
        while not replies and time.monotonic() < deadline:
            replies = app.control.ping(timeout=1.0, destination=[f"health@{os.uname().nodename}"])
        assert replies, "no Celery worker answered within 30 s"
        app.send_task("regiodag.health")
        output = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            output.append(line)
            if "regiodag.health" in line and "succeeded" in line:
                break
        assert any("succeeded" in line for line in output), "".join(output[-20:])
    finally:
        worker.terminate()
        worker.wait(timeout=15)


def test_deploy_check_is_clean_with_production_settings():
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "regiodag.example.nl",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_defaults_are_dutch_and_amsterdam():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
