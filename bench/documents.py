"""Benchmark: 10,000 name badges made in the background by a real PDF worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regiodag REDIS_URL=redis://127.0.0.1:6379/1 \\
        python -m bench.documents

Builds its own database ``regiodag_bench_documents`` (dropped and made again on every run),
one conference day with 10,000 people holding a place (``BENCH_BADGES``), starts the PDF
worker as the Procfile does (``celery worker --queues=pdf``, ``BENCH_PDF_PROCESSES`` pool
processes, 2 by default, with the Procfile's memory limit per process) on REDIS_URL, asks for
the badges as the admin does, and waits until the file is stored. It prints the time from
the request to the file, and per pool process its peak memory (VmHWM) and CPU seconds.
Target (issue 17): ready in 60 s with at most 300 MB per worker process.
``REGIODAG_PDF_PART_SHEETS`` sets the part size, to weigh time against memory.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import conference_with_registrations, database_urls, recreate_database, setup_django

BADGES = int(os.environ.get("BENCH_BADGES", "10000"))
PROCESSES = int(os.environ.get("BENCH_PDF_PROCESSES", "2"))
DATABASE = "regiodag_bench_documents"
TARGET_SECONDS = 60
TARGET_MB = 300
TICKS = os.sysconf("SC_CLK_TCK")


def pool_processes(pid):
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def peak_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def start_worker(env, log):
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "regiodag", "worker", "--queues=pdf", f"--concurrency={PROCESSES}",
         "--max-memory-per-child=300000", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while " ready." not in Path(log.name).read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the PDF worker did not start:\n{Path(log.name).read_text(errors='replace')[-2000:]}")
        time.sleep(0.5)
    return process


def main():
    # Stopped from outside, it still stops the worker it started (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    url, admin_url = database_urls(DATABASE)
    recreate_database(admin_url, DATABASE)
    media = tempfile.mkdtemp(prefix="bench-documents-")
    os.environ["MEDIA_ROOT"] = media
    setup_django(url)
    from django.conf import settings

    from regiodag.celery import app as celery_app
    from registrations.models import GeneratedDocument
    from registrations.tasks import render_document

    event = conference_with_registrations(BADGES, slug="bench-documents", all_holding=True)
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "CONN_MAX_AGE": "0"}
    with tempfile.NamedTemporaryFile("w", prefix="bench-pdf-worker-", suffix=".log") as log:
        worker = start_worker(env, log)
        try:
            # The row request_document writes; published here rather than after a commit.
            document = GeneratedDocument.objects.create(event=event, kind=GeneratedDocument.Kind.BADGES, layout="90x55")
            started = time.perf_counter()
            render_document.delay(document.pk)
            while not GeneratedDocument.objects.filter(pk=document.pk, status__in=GeneratedDocument.FINISHED).exists():
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            pool = pool_processes(worker.pid)
            peaks = [peak_mb(pid) for pid in pool]
            cpus = [cpu_seconds(pid) for pid in pool]
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
            celery_app.connection_for_write().default_channel.queue_purge("pdf")
    document.refresh_from_db()
    size = document.file.size if document.file else 0
    shutil.rmtree(media)
    ok = document.status == "ready" and seconds <= TARGET_SECONDS and max(peaks) <= TARGET_MB
    print(
        f"{BADGES} badges by a PDF worker of {PROCESSES} processes ({settings.REGIODAG_PDF_PART_SHEETS} sheets a "
        f"part, {document.parts} parts): {seconds:6.1f} s to the file; per process "
        + ", ".join(f"{peak:.0f} MB peak / {cpu:.1f} s CPU" for peak, cpu in zip(peaks, cpus, strict=True))
        + f"; {size / 1024 / 1024:.1f} MiB PDF, {document.status} {'ok' if ok else 'OVER TARGET'} "
        f"(target {TARGET_SECONDS} s, {TARGET_MB} MB; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
