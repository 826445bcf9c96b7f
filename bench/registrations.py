"""Benchmark: a burst of conference registrations over HTTP, against gunicorn.

500 registrations from 50 concurrent clients (each: GET the form, POST it) for a day of
300 places in two rounds of five workshops, five times over, each round on a day of its
own. Reports registrations per second, latencies and overbooked places (must be 0), per
round and as the median of the rounds.

On PostgreSQL (``DATABASE_URL=postgres://…``) it uses its own database
(``BENCH_DATABASE``, recreated on every run) on that server and its own Redis database. With
``DATABASE_URL=sqlite:///…`` it runs as the demo does: a SQLite file of its own beside that
one (recreated) and the local-memory cache.
"""

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.http import FormClient

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_DATABASE", "regiodag_bench_reg")
REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "500"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
PLACES = 300
WORKSHOPS_PER_ROUND = 5
# The machine's speed drifts from minute to minute (it is a shared virtual machine), so the
# burst runs several times, each round on a day of its own, and the medians are reported.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
# Sync workers measured best on a two-core machine: threads only contend for the GIL.
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
TARGETS = {"rate": 100.0, "p95_ms": 300.0}


def database_url(base, name):
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(base):
    """The URL of the benchmark's own database, made empty."""
    if base.startswith("sqlite"):
        path = Path(urlsplit(base).path).with_name(f"{DATABASE}.sqlite3")
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return database_url(base, DATABASE)


def bench_environment(db_url):
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis,
        "CELERY_BROKER_URL": redis,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "MANIFEST_STATIC": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REGIODAG_MIN_FILL_SECONDS": "0",
        # Hundreds of registrations from one address: what the rate limits are there to stop.
        "REGIODAG_RATE_LIMITS": "0",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "locmem:",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "regiodag.settings",
    }
    if db_url.startswith("sqlite"):
        # The demo's cache: local memory, one per worker (the mails stay queued in the database).
        del env["REDIS_URL"]
    return env


def prepare(env):
    """Migrate, then build one day per round through the ORM."""
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from events.models import Organisation
    from workshops.samples import make_conference

    organisation = Organisation.objects.create(name="Benchmark", slug="benchmark")
    days = []
    # Day 0 is the warm-up's (see warm_up), with room for all of it; the others are measured.
    for n in range(ROUNDS + 1):
        places = PLACES if n else 10 * PLACES
        event = make_conference(
            organisation,
            capacity=places,
            workshop_capacity=places // WORKSHOPS_PER_ROUND,
            per_round=WORKSHOPS_PER_ROUND,
            slug=f"benchmarkdag-{n}",
            title=f"Benchmarkdag {n}",
        )
        workshops = [r.workshops.order_by("pk").values_list("pk", flat=True) for r in event.rounds.order_by("number")]
        days.append((event, [list(ids) for ids in workshops]))
    connection.close()
    return days


def free_port():
    for port in range(8300, 8400):
        with socket.socket() as sock:
            # As gunicorn binds: a port only in TIME_WAIT from the last run is free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 8300-8399")


def machine_busy_seconds():
    """CPU seconds spent by the whole machine so far (all cores, all processes), or None."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal: busy is what ran here, not what the
    # hypervisor gave to others (steal) or spent waiting.
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def process_tree_seconds(pid):
    """CPU seconds used so far by a process and its live children (gunicorn's workers)."""
    total, pids = 0.0, [pid]
    while pids:
        current = pids.pop()
        try:
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{current}/task/{current}/children") as children:
                pids.extend(int(c) for c in children.read().split())
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def postgres_seconds():
    """CPU seconds used so far by the PostgreSQL processes on this machine (0 if none are
    visible, e.g. a database elsewhere)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                head, fields = stat.read().rsplit(")", 1)
        except OSError:
            continue
        if head.endswith("(postgres"):
            fields = fields.split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class CpuMeter:
    """Where a burst's CPU went: this process (the clients), the app server, PostgreSQL and
    everything else (the kernel's network stack, Redis). Linux only; empty elsewhere."""

    def __init__(self, server_pid, postgres=True):
        self.server_pid = server_pid
        # On SQLite the database's work is the app's: PostgreSQL's CPU here is others'.
        self.postgres = postgres

    def __enter__(self):
        self.start = (
            machine_busy_seconds(),
            time.process_time(),
            process_tree_seconds(self.server_pid),
            postgres_seconds() if self.postgres else 0.0,
        )
        return self

    def __exit__(self, *exc):
        machine, client, server, database = self.start
        now = machine_busy_seconds()
        self.client = time.process_time() - client
        self.server = process_tree_seconds(self.server_pid) - server
        # Backends that ended during the burst are missed; the app keeps its connections.
        self.database = (postgres_seconds() if self.postgres else 0.0) - database
        self.machine = None if now is None or machine is None else now - machine
        return False

    def per_submission(self, count):
        if self.machine is None:
            return ""
        rest = self.machine - self.client - self.server - self.database
        return (
            f"CPU per submission: {self.machine / count * 1000:.1f} ms in all — clients "
            f"{self.client / count * 1000:.1f}, app {self.server / count * 1000:.1f}, "
            f"PostgreSQL {self.database / count * 1000:.1f}, other (kernel, Redis) {rest / count * 1000:.1f}"
        )


@contextmanager
def gunicorn(env, port):
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "regiodag.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        WORKER_CLASS,
        "--threads",
        str(THREADS),
        "--backlog",
        "512",
        # Workers fork from a master that already imported the app: without it, three of
        # four workers were still importing (WeasyPrint is slow to import) while the burst
        # ran, and that CPU counted against registering.
        "--preload",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def machine_speed_ms():
    """A fixed piece of pure Python (a million additions), timed: the figures of runs on this
    shared machine are comparable only next to how fast it was at the time."""
    started = time.perf_counter()
    total = 0
    for n in range(1_000_000):
        total += n
    return (time.perf_counter() - started) * 1000


def warm_up(base_url, paths, warm_day):
    """Have every worker serve each page and a registration before measuring, as
    long-running workers have: the first request of a worker connects to the database and
    loads the templates and their tag libraries, its first form check compiles the
    validators' regular expressions, and PostgreSQL prepares a connection's statements on
    their second use. The registrations go to a day of their own, outside the figures.
    Concurrent requests, so that each worker gets some."""
    event, rounds = warm_day
    path = f"/evenement/{event.slug}/aanmelden/"

    def visit(n):
        for page in paths:
            FormClient(base_url).get_form(page)
        for attempt in range(3):
            visitor = FormClient(base_url)
            _status, _content, hidden = visitor.get_form(path)
            visitor.post_form(path, {**hidden, **registration_payload(rounds, n * 3 + attempt, "warm")})

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(WORKERS * THREADS * 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def burst(base_url, path, payloads, classify):
    """Send every payload (GET then POST) from CLIENTS threads; return timings and outcomes."""
    queue = list(enumerate(payloads))
    lock = threading.Lock()
    results = []

    def client():
        while True:
            with lock:
                if not queue:
                    return
                _n, data = queue.pop(0)
            visitor = FormClient(base_url)
            try:
                started = time.perf_counter()
                _status, _content, hidden = visitor.get_form(path)
                posted = time.perf_counter()
                status, location, content = visitor.post_form(path, {**hidden, **data})
                done = time.perf_counter()
                outcome = classify(status, location or "", content)
            except Exception as exc:  # noqa: BLE001 - a failed request is a result to count
                done = posted = started = time.perf_counter()
                outcome = f"error: {type(exc).__name__}"
            finally:
                visitor.close()
            with lock:
                results.append((outcome, done - posted, done - started, done - began))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))] * 1000


def registration_outcome(status, location, content):
    if status == 302 and location.endswith("/aanmelden/verstuurd/"):
        return "confirmed"
    if status == 200 and b"vol" in content:
        return "full"
    return f"other: {status}"


def registration_payload(rounds, n, prefix="bench"):
    return {
        "given_name": "Bench",
        "family_name": f"Deelnemer {n}",
        "email": f"{prefix}{n}@example.org",
        "organisation": "Gemeente Nijmegen",
        "function": "beleidsadviseur",
        "privacy": "on",
        "round_1": str(rounds[0][n % WORKSHOPS_PER_ROUND]),
        "round_2": str(rounds[1][(n // WORKSHOPS_PER_ROUND) % WORKSHOPS_PER_ROUND]),
    }


def registration_payloads(rounds):
    return [registration_payload(rounds, n) for n in range(REGISTRATIONS)]


def overbooked(event):
    from registrations.selectors import capacity_overview

    (event,) = capacity_overview([event])
    over = max(0, event.taken - event.capacity)
    return over + sum(max(0, w.taken - w.capacity) for w in event.workshop_list), event.taken


def summarise(label, seconds, results):
    outcomes = {}
    for outcome, *_times in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    confirmed = outcomes.get("confirmed", 0)
    posts = [post for _o, post, _pair, _at in results]
    pairs = [pair for _o, _post, pair, _at in results]
    # Places run out before the burst ends; the rate while there were places to take is
    # the time until the last confirmation.
    last_confirmed = max((at for o, _post, _pair, at in results if o == "confirmed"), default=seconds)
    figures = {
        "attempts_per_s": len(results) / seconds,
        "confirmed_per_s": confirmed / last_confirmed,
        "p50_ms": percentile(posts, 0.50),
        "p95_ms": percentile(posts, 0.95),
        "pair_p50_ms": percentile(pairs, 0.50),
        "pair_p95_ms": percentile(pairs, 0.95),
    }
    print(
        f"{label}: {len(results)} submissions in {seconds:.2f} s → {figures['attempts_per_s']:.1f}/s "
        f"({confirmed} confirmed in {last_confirmed:.2f} s: {figures['confirmed_per_s']:.1f}/s); "
        f"POST p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms; "
        f"GET+POST p50 {figures['pair_p50_ms']:.0f} ms, p95 {figures['pair_p95_ms']:.0f} ms; outcomes {outcomes}",
        flush=True,
    )
    return figures


def clear_broker(env):
    """Drop the mail tasks the run queued: no worker is meant to send bench mails."""
    try:
        import redis

        redis.Redis.from_url(env["CELERY_BROKER_URL"]).delete("celery")
    except Exception as exc:  # noqa: BLE001 - cleanup is best effort
        print(f"(Redis queue not cleared: {type(exc).__name__})")


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def main():
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/regiodag")
    if not base.startswith(("postgres", "sqlite")):
        print(
            "De benchmark heeft PostgreSQL of SQLite nodig (DATABASE_URL=postgres://… of sqlite:///…).", file=sys.stderr
        )
        return 2
    env = bench_environment(recreate_database(base))
    warm_day, *days = prepare(env)
    port = free_port()
    print(
        f"{ROUNDS} rounds of {REGISTRATIONS} registrations, {CLIENTS} clients, {PLACES} places each; "
        f"gunicorn {WORKER_CLASS} {WORKERS}×{THREADS} on port {port}; {base.split(':', 1)[0]}",
        flush=True,
    )
    figures = []
    with gunicorn(env, port) as (url, server_pid):
        warm_up(url, [f"/evenement/{event.slug}/aanmelden/" for event, _rounds in days], warm_day)
        for number, (event, rounds) in enumerate(days, 1):
            path = f"/evenement/{event.slug}/aanmelden/"
            print(f"round {number}: a million additions in Python take {machine_speed_ms():.0f} ms", flush=True)
            with CpuMeter(server_pid, postgres=base.startswith("postgres")) as cpu:
                seconds, results = burst(url, path, registration_payloads(rounds), registration_outcome)
            figures.append(summarise(f"round {number} registration", seconds, results))
            print(f"  {cpu.per_submission(len(results))}")
    clear_broker(env)
    over = taken = 0
    for event, _rounds in days:
        event_over, event_taken = overbooked(event)
        over, taken = over + event_over, taken + event_taken
    result = {key: median([f[key] for f in figures]) for key in ("confirmed_per_s", "p50_ms", "p95_ms")}
    print(f"places taken {taken}/{PLACES * len(days)}; overbooked places: {over}")
    print(
        f"median of {len(figures)} rounds: {result['confirmed_per_s']:.1f} confirmed/s, POST p50 "
        f"{result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms; rounds "
        + " ".join(f"{f['confirmed_per_s']:.0f}/s" for f in figures)
    )
    checks = {
        f"≥{TARGETS['rate']:.0f} confirmed registrations/s": result["confirmed_per_s"] >= TARGETS["rate"],
        f"POST p95 ≤ {TARGETS['p95_ms']:.0f} ms": result["p95_ms"] <= TARGETS["p95_ms"],
        "0 overbooked": over == 0,
    }
    for name, ok in checks.items():
        print(f"  [{'ok' if ok else 'MISSED'}] {name}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
