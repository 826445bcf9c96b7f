"""Benchmark: name badges for 500 participants and an attendance list of 500 rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regiodag python -m bench.badges

Builds its own database ``regiodag_bench_badges`` on the server of DATABASE_URL (dropped
and made again on every run), fills one event with 500 participants, then renders each
PDF in a fresh process so that the peak memory reported (ru_maxrss) belongs to that PDF
alone, Django and WeasyPrint's own start-up included. Targets: 10 s and 300 MB each.
"""

import json
import os
import resource
import subprocess
import sys
import time

from bench.common import conference_with_registrations, database_urls, recreate_database, setup_django

PARTICIPANTS = 500
DATABASE = "regiodag_bench_badges"
EVENT_SLUG = "bench-badges"
TARGET_SECONDS = 10
TARGET_MB = 300


def make_data():
    """One conference day with two rounds of five workshops and 500 confirmed people.

    Rows are written in bulk: this measures the PDFs, not the registration service.
    """
    conference_with_registrations(PARTICIPANTS, slug=EVENT_SLUG, all_holding=True)


def measure(kind):
    """Run in a child process: render one PDF, print seconds, peak memory and size as JSON."""
    from events.models import Event
    from registrations.pdf.badges import badges_pdf
    from registrations.pdf.lists import event_attendance_pdf

    event = Event.objects.get(slug=EVENT_SLUG)
    render = {"badges": badges_pdf, "attendance_list": event_attendance_pdf}[kind]
    started, cpu_started = time.perf_counter(), time.process_time()
    pdf = render([event])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"kind": kind, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "bytes": len(pdf)}))


def main():
    url, admin_url = database_urls(DATABASE)
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        setup_django(url)
        measure(sys.argv[2])
        return
    recreate_database(admin_url, DATABASE)
    setup_django(url)
    make_data()
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    failed = False
    for kind, label in [
        ("badges", f"badges for {PARTICIPANTS}"),
        ("attendance_list", f"attendance list of {PARTICIPANTS}"),
    ]:
        output = subprocess.run(
            [sys.executable, "-m", "bench.badges", "--measure", kind],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        ok = result["seconds"] <= TARGET_SECONDS and result["peak_mb"] <= TARGET_MB
        failed |= not ok
        # CPU seconds as well: on a busy machine the wall-clock time mostly measures the others.
        print(
            f"{label:28} {result['seconds']:6.2f} s ({result['cpu']:.2f} s CPU)  {result['peak_mb']:6.1f} MB peak  "
            f"{result['bytes'] / 1024:5.0f} KiB PDF  {'ok' if ok else 'OVER TARGET'} "
            f"(target {TARGET_SECONDS} s, {TARGET_MB} MB; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
