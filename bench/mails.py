"""Benchmark: definitive confirmations with PDF sent by real Celery workers.

    python -m bench.mails [--mails 2000] [--pdf-concurrency 2] [--max-memory-kib 300000]

Self-contained: it creates a throwaway PostgreSQL database next to the one in
DATABASE_URL, starts its own redis-server on a spare port (6391-6399), an SMTP sink
(aiosmtpd, port 8500-8599) and two workers as in production (the "pdf" queue with a
memory ceiling per child, the default queue), registers N participants for an event six
days ahead and publishes the beat sweep; beat itself runs too, for the relay that hands
the recorded mails to the workers. It reports mails per second end to end, the PDF
render time per mail of the engine against the bare WeasyPrint render of the same HTML,
and the peak memory of the worker processes; the figures also go to bench/results/.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKER = [
    sys.executable,
    "-m",
    "celery",
    "-A",
    "regiodag",
    "worker",
    "--loglevel=WARNING",
    "--without-gossip",
    "--without-mingle",
]


def bench_database_url(suffix="bench_mails"):
    """A fresh database beside DATABASE_URL's, so a benchmark never touches real data."""
    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/regiodag")
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("the benchmark needs PostgreSQL in DATABASE_URL")
    name = f"{config['NAME']}_{suffix}"
    params = dict(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name, name, params


def drop_database(name, params):
    import psycopg

    with psycopg.connect(**params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Sink:
    """Counts what arrives; keeps no messages, so the sink itself stays small."""

    def __init__(self):
        self.count = 0
        self.bytes = 0
        self.recipients = set()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.count += 1
            self.bytes += len(envelope.content)
            self.recipients.update(envelope.rcpt_tos)
        return "250 OK"


def process_tree(pid):
    """pid and all its descendants, from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def cpu_seconds(pid, children_too=True):
    """User + system CPU of a process (and of its reaped children), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children_too else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root):
    return cpu_seconds(root) + sum(cpu_seconds(pid, children_too=False) for pid in process_tree(root)[1:])


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemoryWatch(threading.Thread):
    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids = pids
        self.peak_total = 0
        self.peak_child = 0
        self.children_seen = set()
        self.running = True

    def run(self):
        while self.running:
            total = 0
            for root in self.pids:
                for pid in process_tree(root):
                    rss = rss_kib(pid)
                    total += rss
                    if pid != root:
                        self.children_seen.add(pid)
                        self.peak_child = max(self.peak_child, rss)
            self.peak_total = max(self.peak_total, total)
            time.sleep(0.25)


def make_data(n):
    from django.utils import timezone

    from events.models import Event, Organisation, ProgrammeItem, Venue
    from registrations.models import Participant, Registration, WorkshopChoice
    from workshops.models import Round, Workshop

    organisation = Organisation.objects.create(name="VNG", slug="vng")
    venue = Venue.objects.create(
        name="De Vasim",
        address="Winselingseweg 41",
        postcode="6541 AH",
        city="Nijmegen",
        route_notes="Vanaf station Nijmegen bus 6 tot halte Vasim; parkeren op eigen terrein.",
    )
    starts = timezone.now().replace(microsecond=0, second=0) + timedelta(days=6)
    event = Event.objects.create(
        kind=Event.Kind.CONFERENCE,
        title="De Ambtelijke Dag van de Regio's",
        slug="bench-dag",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6, minutes=30),
        venue=venue,
        status=Event.Status.PUBLISHED,
        practical_info="Neem uw laptop of tablet mee.",
    )
    event.organisations.add(organisation)
    for minutes, title in [
        (0, "Ontvangst"),
        (30, "Plenair programma"),
        (90, "Workshopronde 1"),
        (150, "Netwerklunch"),
        (210, "Workshopronde 2"),
        (330, "Plenaire afsluiting en borrel"),
    ]:
        ProgrammeItem.objects.create(event=event, starts_at=starts + timedelta(minutes=minutes), title=title)
    workshops = []
    for number in (1, 2):
        rnd = Round.objects.create(
            event=event,
            number=number,
            starts_at=starts + timedelta(minutes=30 + 60 * number),
            ends_at=starts + timedelta(minutes=80 + 60 * number),
        )
        workshops.append(
            [
                Workshop.objects.create(round=rnd, title=f"Workshop {number}.{i}", capacity=n, room=f"Zaal {i}")
                for i in range(1, 5)
            ]
        )
    registrations = Registration.objects.bulk_create(
        Registration(
            event=event,
            status=Registration.Status.CONFIRMED,
            email=f"deelnemer{i}@example.org",
            contact_name=f"Deelnemer {i}",
        )
        for i in range(n)
    )
    participants = Participant.objects.bulk_create(
        Participant(
            registration=r,
            given_name="Esther",
            name_prefix="van der",
            family_name=f"Mark {i}",
            email=r.email,
            organisation="Gemeente Nijmegen",
            function="beleidsadviseur",
        )
        for i, r in enumerate(registrations)
    )
    WorkshopChoice.objects.bulk_create(
        WorkshopChoice(participant=p, workshop=rnd[i % 4], round_id=rnd[i % 4].round_id)
        for i, p in enumerate(participants)
        for rnd in workshops
    )
    return event


def render_timings(sample):
    """Seconds per PDF: the engine's path, and bare WeasyPrint on the same HTML."""
    from weasyprint import HTML

    from registrations.pdf.confirmation import confirmation_html, confirmation_pdf, shared_styles
    from registrations.pdf.rendering import base_url

    stylesheets, font_config = shared_styles()
    confirmation_pdf(sample[0])  # warm up: fonts load once per process, as in a worker child
    # CPU time, not wall time: on a shared machine other processes' load would count too.
    # Engine and bare renders alternate, so neither profits from running later.
    engine, bare_warm, bare_cold = [], [], []
    for participant in sample:
        started = time.process_time()
        confirmation_pdf(participant)
        engine.append(time.process_time() - started)
        html = confirmation_html(participant, standalone=False)
        started = time.process_time()
        HTML(string=html, base_url=base_url()).write_pdf(stylesheets=stylesheets, font_config=font_config)
        bare_warm.append(time.process_time() - started)
    for participant in sample[:5]:
        html = confirmation_html(participant, standalone=True)
        started = time.process_time()
        HTML(string=html, base_url=base_url()).write_pdf()
        bare_cold.append(time.process_time() - started)
    return statistics.mean(engine), statistics.mean(bare_warm), statistics.mean(bare_cold)


def own_services_environment(db_url):
    """Ports of its own for a Redis and the SMTP sink, put in the environment the settings
    read, then Django set up; (redis port, smtp port)."""
    # Shared with the mail tests; importing them reads no settings yet.
    from registrations.tests.mailservers import free_port

    redis_port, smtp_port = free_port(6391, 6399), free_port(8500, 8599)
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    os.environ.update(
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        DJANGO_SETTINGS_MODULE="regiodag.settings",
        LOG_LEVEL="WARNING",
    )

    import django

    django.setup()
    return redis_port, smtp_port


def start_redis(port):
    """A redis-server of the benchmark's own, keeping nothing on disk."""
    return subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--pdf-concurrency", type=int, default=2)
    parser.add_argument("--max-memory-kib", type=int, default=300_000)
    parser.add_argument("--sample", type=int, default=50, help="PDFs rendered in-process for the render timings")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    db_url, db_name, db_params = bench_database_url()
    # Shared with the mail tests; importing them reads no settings yet.
    from registrations.tests.mailservers import wait_for

    redis_port, smtp_port = own_services_environment(db_url)
    from aiosmtpd.controller import Controller
    from django.core.management import call_command

    from registrations.models import Mail, Participant
    from registrations.tasks import sweep_due_mails

    processes, logs = [], ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    try:
        processes.append(start_redis(redis_port))
        controller.start()
        call_command("migrate", verbosity=0)
        print(f"Gegevens: {args.mails} deelnemers …", flush=True)
        make_data(args.mails)

        commands = {
            "pdf": WORKER
            + [
                "-Q",
                "pdf",
                "-n",
                "pdf@%h",
                f"--concurrency={args.pdf_concurrency}",
                f"--max-memory-per-child={args.max_memory_kib}",
            ],
            "default": WORKER + ["-Q", "celery", "-n", "default@%h", "--concurrency=1"],
        }
        workers = []
        for name, command in commands.items():
            log = open(logs / f"worker-{name}.log", "wb")  # noqa: SIM115 - open for the worker's lifetime
            workers.append(subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=log, stderr=subprocess.STDOUT))
        processes += workers
        # Beat as in production: its relay round (every second) hands the recorded mails over.
        beat_log = open(logs / "beat.log", "wb")  # noqa: SIM115 - open for beat's lifetime
        beat = [sys.executable, "-m", "celery", "-A", "regiodag", "beat", "--loglevel=WARNING"]
        beat += [f"--schedule={logs / 'beat-schedule'}"]
        processes.append(subprocess.Popen(beat, cwd=ROOT, env=os.environ, stdout=beat_log, stderr=subprocess.STDOUT))
        # The workers log nothing at WARNING once ready; ask the broker which are listening.
        from regiodag.celery import app

        wait_for(lambda: len(app.control.ping(timeout=1) or []) >= 2, 90, "both workers to answer", interval=0.5)
        watch = MemoryWatch([w.pid for w in workers])
        watch.start()

        load_before = os.getloadavg()[0]
        cpu_before = {name: tree_cpu_seconds(w.pid) for name, w in zip(commands, workers, strict=True)}
        started = time.monotonic()
        sweep_due_mails.delay()
        wait_for(lambda: sink.count >= args.mails, 3600, f"{args.mails} mails at the SMTP sink")
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()[0]
        cpu = {name: tree_cpu_seconds(w.pid) - cpu_before[name] for name, w in zip(commands, workers, strict=True)}
        time.sleep(3)  # anything sent twice would arrive now
        watch.running = False

        sent = Mail.objects.filter(kind="definitive_confirmation", status=Mail.Status.SENT).count()
        sample = list(Participant.objects.select_related("registration__event__venue").order_by("pk")[: args.sample])
        engine, bare_warm, bare_cold = render_timings(sample)
        results = {
            "mails": args.mails,
            "received": sink.count,
            "distinct_recipients": len(sink.recipients),
            "marked_sent": sent,
            "seconds": round(elapsed, 1),
            "mails_per_second": round(args.mails / elapsed, 1),
            "mean_message_kib": round(sink.bytes / max(sink.count, 1) / 1024, 1),
            "pdf_render_ms_engine": round(engine * 1000, 1),
            "pdf_render_ms_bare": round(bare_warm * 1000, 1),
            "pdf_render_ms_bare_cold_fonts": round(bare_cold * 1000, 1),
            "engine_over_bare": round(engine / bare_warm, 3),
            "pdf_worker_cpu_ms_per_mail": round(cpu["pdf"] / args.mails * 1000, 1),
            "default_worker_cpu_ms_per_mail": round(cpu["default"] / args.mails * 1000, 1),
            # What two idle cores would do if the pdf workers had them to themselves.
            "mails_per_second_projected_2_idle_cores": round(2 / (cpu["pdf"] / args.mails), 1),
            "load_average_before_after": [round(load_before, 2), round(load_after, 2)],
            "peak_rss_mib_per_pdf_child": round(watch.peak_child / 1024, 1),
            "peak_rss_mib_all_workers": round(watch.peak_total / 1024, 1),
            "pdf_children_seen": len(watch.children_seen),
            "max_memory_per_child_kib": args.max_memory_kib,
            "pdf_concurrency": args.pdf_concurrency,
            "cpus": os.cpu_count(),
            "worker_commands": {name: " ".join(c[2:]) for name, c in commands.items()},
        }
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "mails.json").write_text(json.dumps(results, indent=2))
        print(json.dumps(results, indent=2))
        print(
            f"\n{results['mails_per_second']} mails/s; PDF {results['pdf_render_ms_engine']} ms per mail "
            f"vs bare {results['pdf_render_ms_bare']} ms: ratio {results['engine_over_bare']} "
            f"(bare with fonts loaded per document: {results['pdf_render_ms_bare_cold_fonts']} ms)"
        )
        ok = sink.count == args.mails == sent == len(sink.recipients)
        if not ok:
            print("FOUT: niet elke mail precies één keer verzonden", file=sys.stderr)
        return 0 if ok else 1
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        controller.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep_database:
            drop_database(db_name, db_params)


if __name__ == "__main__":
    sys.exit(main())
