"""Benchmark: an invitation mailing to 5,000 contacts, recorded, handed to the workers by
beat's relay, and sent by a real Celery worker to a local SMTP server.

    python -m bench.invitations [--contacts 5000] [--concurrency 2]

Self-contained like bench.mails: a throwaway PostgreSQL database beside DATABASE_URL's, its
own redis-server (6391-6399), an SMTP sink (aiosmtpd, 8500-8599), one worker on the default
queue (invitations carry no PDF) and beat, whose relay hands recorded mails over every
second. It measures from the moment ``send_mailing`` is called (the admin's "Nu versturen"):
how long recording takes, until every mail was handed to the workers, and until every mail
arrived at the sink; it fails unless each contact got exactly one mail. The figures also
go to bench/results/invitations.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mails import (  # noqa: E402 - after the path is set
    WORKER,
    Sink,
    bench_database_url,
    drop_database,
    own_services_environment,
    start_redis,
)


def make_data(n):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event, Organisation
    from events.municipalities import municipality_names
    from registrations.invitations.models import Contact, Mailing

    organisation = Organisation.objects.create(name="Vereniging van Nederlandse Gemeenten", slug="vng")
    starts = timezone.now().replace(microsecond=0) + timedelta(days=30)
    event = Event.objects.create(
        kind=Event.Kind.CONFERENCE,
        title="De Ambtelijke Dag van de Regio's",
        slug="bench-dag",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        registration_mode="person",
        status=Event.Status.PUBLISHED,
    )
    event.organisations.add(organisation)
    towns = municipality_names()
    roles = [choice for choice, _label in Contact.Role.choices]
    Contact.objects.bulk_create(
        Contact(
            owner=organisation,
            email=f"contact{i}@example.org",
            salutation=["mevrouw", "heer", ""][i % 3],
            given_name="Esther",
            name_prefix="van der",
            family_name=f"Mark {i}",
            organisation=f"Gemeente {towns[i % len(towns)]}",
            function="beleidsadviseur",
            role=roles[i % len(roles)],
            municipality=towns[i % len(towns)],
        )
        for i in range(n)
    )
    text = "\n\n".join(["Denkt u mee over regionale samenwerking? Wij nodigen u van harte uit."] * 6)
    return Mailing.objects.create(owner=organisation, event=event, subject="Denkt u mee?", text=text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    db_url, db_name, db_params = bench_database_url("bench_invitations")
    from registrations.tests.mailservers import wait_for

    redis_port, smtp_port = own_services_environment(db_url)
    from aiosmtpd.controller import Controller
    from django.core.management import call_command

    from registrations.invitations.mailings import send_mailing
    from registrations.models import Mail

    processes, logs = [], ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    try:
        processes.append(start_redis(redis_port))
        controller.start()
        call_command("migrate", verbosity=0)
        print(f"Gegevens: {args.contacts} contactpersonen …", flush=True)
        mailing = make_data(args.contacts)

        command = WORKER + ["-Q", "celery", "-n", "default@%h", f"--concurrency={args.concurrency}"]
        log = open(logs / "worker-invitations.log", "wb")  # noqa: SIM115 - open for the worker's lifetime
        processes.append(subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=log, stderr=subprocess.STDOUT))
        beat_log = open(logs / "beat-invitations.log", "wb")  # noqa: SIM115 - open for beat's lifetime
        beat = [sys.executable, "-m", "celery", "-A", "regiodag", "beat", "--loglevel=WARNING"]
        beat += [f"--schedule={logs / 'beat-schedule-invitations'}"]
        processes.append(subprocess.Popen(beat, cwd=ROOT, env=os.environ, stdout=beat_log, stderr=subprocess.STDOUT))
        from regiodag.celery import app

        wait_for(lambda: len(app.control.ping(timeout=1) or []) >= 1, 90, "the worker to answer", interval=0.5)

        def not_handed():
            return Mail.objects.filter(invitation__mailing=mailing, handed_over_at__isnull=True).exists()

        started = time.monotonic()
        recorded = send_mailing(mailing.pk)
        recorded_after = time.monotonic() - started
        wait_for(lambda: not not_handed(), 600, "every mail handed to the workers", interval=0.05)
        handed_after = time.monotonic() - started
        wait_for(lambda: sink.count >= args.contacts, 3600, f"{args.contacts} mails at the SMTP sink", interval=0.1)
        sent_after = time.monotonic() - started
        time.sleep(3)  # anything sent twice would arrive now

        sent = Mail.objects.filter(invitation__mailing=mailing, status=Mail.Status.SENT).count()
        results = {
            "contacts": args.contacts,
            "recorded": recorded,
            "received": sink.count,
            "distinct_recipients": len(sink.recipients),
            "marked_sent": sent,
            "seconds_to_record": round(recorded_after, 2),
            "seconds_until_handed_to_workers": round(handed_after, 1),
            "seconds_until_sent": round(sent_after, 1),
            "mails_per_second": round(args.contacts / sent_after, 1),
            "mean_message_kib": round(sink.bytes / max(sink.count, 1) / 1024, 1),
            "worker_concurrency": args.concurrency,
            "cpus": os.cpu_count(),
            "load_average": round(os.getloadavg()[0], 2),
        }
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "invitations.json").write_text(json.dumps(results, indent=2))
        print(json.dumps(results, indent=2))
        print(
            f"\n{args.contacts} uitnodigingen: vastgelegd in {results['seconds_to_record']} s, aan de workers "
            f"gegeven na {results['seconds_until_handed_to_workers']} s, verzonden na {results['seconds_until_sent']} s"
        )
        ok = sink.count == args.contacts == sent == len(sink.recipients) == recorded
        if not ok:
            print("FOUT: niet elke contactpersoon precies één mail", file=sys.stderr)
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
