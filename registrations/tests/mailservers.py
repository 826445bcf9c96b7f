"""Real processes for the mail tests: an SMTP server that can refuse, a Redis server that
can be stopped and started, and a Celery worker subprocess on the test database.

Every wait is bounded and says what it waited for; every process is stopped by whoever
started it, in a ``finally``.
"""

import asyncio
import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from email import policy
from urllib.parse import quote

import kombu.pools
from aiosmtpd.controller import Controller
from django.conf import settings

from regiodag.celery import app as celery_app


def free_port(first, last):
    """The first port in the range that nothing listens on."""
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {first} and {last}")


def wait_for(condition, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"gave up after {timeout} s waiting for {what}")


def stop_process(process, timeout):
    """Terminate a process we started, killing it if it does not stop in time."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class Managed:
    """Started on entering a ``with`` block, stopped on leaving it, whatever happened."""

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class SmtpSink:
    """aiosmtpd in a thread; with ``refusing`` set it refuses every recipient (451 unless
    ``refusal`` says otherwise)."""

    def __init__(self):
        self.port = free_port(8500, 8599)
        self.messages = []
        self.refusals = 0
        self.refusing = False
        self.refusal = "451 4.3.0 Tijdelijk niet beschikbaar"
        # Addresses refused for good whatever ``refusing`` says: {address: reply}.
        self.refused_for_good = {}
        # With ``holding`` set, a recipient waits unanswered (``recipient_waiting`` is set)
        # until it is cleared: a mail caught in the middle of its SMTP conversation.
        self.holding = False
        self.recipient_waiting = threading.Event()
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        while self.holding:
            self.recipient_waiting.set()
            await asyncio.sleep(0.05)
        if address in self.refused_for_good:
            return self.refused_for_good[address]
        if self.refusing:
            with self.lock:
                self.refusals += 1
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def received(self, subject_start="", to=None):
        with self.lock:
            return [
                m
                for m in self.messages
                if str(m["Subject"]).startswith(subject_start) and (to is None or str(m["To"]) == to)
            ]

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def send_through(settings, sink, timeout=5):
    """Make this test's mails go to ``sink`` over real SMTP (``settings``: pytest-django's)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, timeout


class RedisServer(Managed):
    """Our own redis-server on a spare port (never the shared one on 6379)."""

    def __init__(self, tmp_path):
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is not installed")
        self.port = free_port(6391, 6399)
        self.dir = tmp_path
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, 20, f"redis-server on port {self.port}")

    def stop(self):
        stop_process(self.process, 10)
        wait_for(lambda: not self.ping(), 10, f"redis-server on port {self.port} to stop")


def database_url():
    db = settings.DATABASES["default"]
    if "sqlite3" in db["ENGINE"]:
        # The test database is a file (settings: SQLite test database), which the worker opens too.
        return f"sqlite:///{db['NAME']}"
    if "postgresql" not in db["ENGINE"]:
        raise RuntimeError("the worker tests need PostgreSQL or SQLite (DATABASE_URL=…)")
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker(Managed):
    """``celery -A regiodag worker`` on both queues, against the test database; with
    ``beat``, Celery beat runs inside it with the real schedule (the relay every second)."""

    def __init__(self, tmp_path, broker_url, email_url, queues="celery,pdf", concurrency=1, beat=False, env=None):
        self.log = tmp_path / f"worker-{time.monotonic_ns()}.log"
        self.env = dict(
            os.environ,
            DATABASE_URL=database_url(),
            REDIS_URL=broker_url,
            CELERY_BROKER_URL=broker_url,
            EMAIL_URL=email_url,
            CONN_MAX_AGE="0",
            **(env or {}),
        )
        self.command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "regiodag",
            "worker",
            "--loglevel=INFO",
            f"--queues={queues}",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
        ]
        if beat:
            self.command += ["--beat", f"--schedule={tmp_path / f'beat-{time.monotonic_ns()}'}"]
        self.process = None

    def output(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def start(self):
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own, for kill()
            )
        try:
            wait_for(lambda: " ready." in self.output() or self.process.poll() is not None, 60, "the worker to start")
        except AssertionError:
            raise AssertionError(f"worker did not start:\n{self.output()[-3000:]}") from None
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.output()[-3000:]}")

    def succeeded(self, task_name):
        """How many runs of ``task_name`` this worker finished."""
        return sum(1 for line in self.output().splitlines() if f"Task {task_name}[" in line and "succeeded" in line)

    def stop(self):
        stop_process(self.process, 20)  # SIGTERM: a worker's warm shutdown

    def kill(self):
        """SIGKILL the worker and its pool processes at once: a machine that lost power."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def reset_publisher():
    # Pools hold connections to the broker they were made for; drop them so the next
    # publish connects to the broker now configured.
    kombu.pools.reset()  # also forgets the closed pools, which it would otherwise hand out again
    celery_app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        celery_app.__dict__["amqp"]._producer_pool = None


@contextlib.contextmanager
def publishing_to(broker_url):
    """Make this (test) process publish its tasks to ``broker_url``."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = broker_url
    reset_publisher()
    try:
        yield
    finally:
        celery_app.conf.broker_url = previous
        reset_publisher()


def publish(task, **kwargs):
    """Publish as beat does, over a fresh connection (the pooled one may predate a restart)."""
    with celery_app.connection_for_write() as connection:
        task.apply_async(kwargs=kwargs, connection=connection)
