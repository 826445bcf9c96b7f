"""Benchmark: 10,000 name badges made in the background, as the PDF worker makes them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regiodag python -m bench.documents

Builds its own database ``regiodag_bench_documents`` (dropped and made again on every run),
one conference day with 10,000 people holding a place (``BENCH_BADGES``), asks for their
badges as the admin does (a GeneratedDocument), then runs the PDF task's service in a fresh
process, as the worker's pool process would: the time until the file is stored, and that
process's peak memory (ru_maxrss; Django and WeasyPrint's own start-up included). Target
(issue 17): ready in 60 s with at most 300 MB per worker process. ``REGIODAG_PDF_PART_SHEETS``
sets the part size, to weigh time against memory.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from bench.common import conference_with_registrations, database_urls, recreate_database, setup_django

BADGES = int(os.environ.get("BENCH_BADGES", "10000"))
DATABASE = "regiodag_bench_documents"
TARGET_SECONDS = 60
TARGET_MB = 300


def measure(document_id):
    """In a child process: make the document; print seconds, CPU, peak memory as JSON."""
    from registrations.models import GeneratedDocument
    from registrations.services.documents import make_document

    started, cpu_started = time.perf_counter(), time.process_time()
    status = make_document(document_id)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    document = GeneratedDocument.objects.get(pk=document_id)
    size = document.file.size if document.file else 0
    print(json.dumps({"status": status, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "bytes": size}))


def main():
    url, admin_url = database_urls(DATABASE)
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        setup_django(url)
        measure(int(sys.argv[2]))
        return 0
    recreate_database(admin_url, DATABASE)
    setup_django(url)
    from django.conf import settings

    from registrations.models import GeneratedDocument

    event = conference_with_registrations(BADGES, slug="bench-documents", all_holding=True)
    # The row request_document writes, without handing it to a broker: the child runs it.
    document = GeneratedDocument.objects.create(event=event, kind=GeneratedDocument.Kind.BADGES, layout="90x55")
    media = tempfile.mkdtemp(prefix="bench-documents-")
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "MEDIA_ROOT": media}
    output = subprocess.run(
        [sys.executable, "-m", "bench.documents", "--measure", str(document.pk)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    shutil.rmtree(media)
    result = json.loads(output.strip().splitlines()[-1])
    ok = result["status"] == "ready" and result["seconds"] <= TARGET_SECONDS and result["peak_mb"] <= TARGET_MB
    print(
        f"{BADGES} badges in the background ({settings.REGIODAG_PDF_PART_SHEETS} sheets a part): "
        f"{result['seconds']:6.1f} s ({result['cpu']:.1f} s CPU)  {result['peak_mb']:6.1f} MB peak  "
        f"{result['bytes'] / 1024 / 1024:5.1f} MiB PDF  {result['status']}  {'ok' if ok else 'OVER TARGET'} "
        f"(target {TARGET_SECONDS} s, {TARGET_MB} MB; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
