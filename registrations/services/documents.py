"""Big PDFs made by the PDF worker instead of in the web request, with their progress.

An organiser asks (``request_document``): a row is written, and beat's relay
(``hand_over``) gives its id to the PDF worker within seconds. The worker fixes who is on it and splits it into parts of
REGIODAG_PDF_PART_SHEETS sheets (``start_document``); its processes render the parts side by
side, each to a file of its own (``make_part``), and the one that renders the last joins
them with pypdf. A process's memory is that of one part whatever the size of the event,
and the time shrinks with the processes. Every finished part counts towards the progress
that the organiser's page shows; when the file is ready the organiser gets a mail.
Small runs stay a direct download (``in_background``).

The files hold names: they are deleted after REGIODAG_DOCUMENT_DAYS days
(``discard_expired``, daily with the retention task) and with the personal data of anyone
in them (``discard``, from retention.erase).
"""

import logging
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from registrations.models import GeneratedDocument
from registrations.pdf.badges import badges_pdf, layout_for
from registrations.pdf.lists import attendance_list_pdf, event_part_section
from registrations.reports import expected_participants

logger = logging.getLogger(__name__)

# Rows of an attendance list per part and sheet: a part of a list is as many rows as a part
# of badges is badges (ten to a sheet), roughly the same work.
ROWS_PER_SHEET = 10

Status = GeneratedDocument.Status


def in_background(count):
    """Whether a PDF of ``count`` badges (or rows) is made by the worker rather than at once."""
    return count > settings.REGIODAG_DIRECT_PDF_LIMIT


def badge_count(event, participant_ids=None):
    people = expected_participants([event])
    if participant_ids:
        people = people.filter(pk__in=participant_ids)
    return people.count()


def request_document(event, kind, *, by, layout="", participant_ids=()):
    """Record the request, for the relay to hand over; returns the row."""
    return GeneratedDocument.objects.create(
        event=event,
        kind=kind,
        layout=layout_for(layout).key if kind == GeneratedDocument.Kind.BADGES else "",
        participant_ids=sorted(set(participant_ids)),
        requested_by=by,
    )


def hand_over():
    """Beat's relay, every two seconds: give the PDF worker the documents asked for since.
    A web request never talks to the broker (as with mails): with Redis down the request
    still returns at once, and the document waits until it is back."""
    from registrations.tasks import render_document

    handed = 0
    waiting = GeneratedDocument.objects.filter(status=Status.QUEUED, handed_over_at__isnull=True)
    for document_id in waiting.order_by("pk").values_list("pk", flat=True)[:100]:
        try:
            render_document.delay(document_id)
        except Exception as error:  # noqa: BLE001 - any broker failure: the next round tries again
            logger.warning("document %s not handed to the PDF worker (%s)", document_id, type(error).__name__)
            break
        GeneratedDocument.objects.filter(pk=document_id).update(handed_over_at=timezone.now())
        handed += 1
    return handed


def ordered_participant_ids(document):
    """The people on the document in Dutch name order (as badge_participants sorts them),
    read as ids only so that the worker never holds everyone's rows at once."""
    people = expected_participants([document.event_id])
    if document.participant_ids:
        people = people.filter(pk__in=document.participant_ids)
    rows = people.values_list("family_name", "name_prefix", "given_name", "pk")
    return [pk for *_name, pk in sorted((f.casefold(), p.casefold(), g.casefold(), pk) for f, p, g, pk in rows)]


def part_size(document):
    """People per part: whole sheets of badges (no sheet half empty mid-way), or list rows."""
    if document.kind == GeneratedDocument.Kind.BADGES:
        return layout_for(document.layout).per_sheet * settings.REGIODAG_PDF_PART_SHEETS
    return ROWS_PER_SHEET * settings.REGIODAG_PDF_PART_SHEETS


def start_document(document_id):
    """Task render_document: fix who is on the document and in how many parts, then hand
    the parts to the PDF worker's processes. Returns the number of parts, or None when the
    document is finished already (a task delivered twice) or gone."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.finished:
            return None
        document.people = ordered_participant_ids(document)
        document.total, document.done = len(document.people), 0
        document.parts = max(1, -(-document.total // part_size(document)))
        document.status, document.parts_ready, document.error = Status.RUNNING, [], ""
        document.save()
        transaction.on_commit(lambda: hand_over_parts(document_id, document.parts))
    return document.parts


def hand_over_parts(document_id, parts):
    from registrations.tasks import render_document_part

    try:
        for index in range(parts):
            render_document_part.delay(document_id, index)
    except Exception as error:  # noqa: BLE001 - any broker failure: the document cannot be finished
        logger.warning("could not hand the parts of document %s over: %s", document_id, error)
        fail(document_id, _("De PDF-maker is nu niet bereikbaar. Probeer het over een paar minuten opnieuw."))


def parts_folder(document_id):
    # Under MEDIA_ROOT: the parts are written and joined by different worker processes.
    return Path(settings.MEDIA_ROOT) / "documenten-delen" / str(document_id)


def make_part(document_id, index):
    """Task render_document_part: render one part to its file; the process that renders
    the last one joins them all. Safe when delivered twice: a part is counted once."""
    document = GeneratedDocument.objects.select_related("event").filter(pk=document_id).first()
    if document is None or document.status != Status.RUNNING or index in document.parts_ready:
        return None
    size = part_size(document)
    ids = document.people[index * size : (index + 1) * size]
    try:
        data = render_part(document, index, ids, size)
        folder = parts_folder(document_id)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"part-{index:05d}.pdf").write_bytes(data)
    except Exception as error:
        logger.exception("part %s of document %s failed", index, document_id)
        fail(document_id, str(error)[:500])
        return Status.FAILED
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().select_related("event").get(pk=document_id)
        if document.status != Status.RUNNING or index in document.parts_ready:
            return None
        document.parts_ready = [*document.parts_ready, index]
        document.done = min(document.done + len(ids), document.total)
        document.save(update_fields=["parts_ready", "done"])
    if len(document.parts_ready) < document.parts:
        return Status.RUNNING
    try:
        with tempfile.TemporaryDirectory(prefix="regiodag-pdf-") as scratch:
            finish(document, join(parts_folder(document_id), document.parts, Path(scratch)))
    except Exception as error:
        logger.exception("joining document %s failed", document_id)
        fail(document_id, str(error)[:500])
        return Status.FAILED
    finally:
        shutil.rmtree(parts_folder(document_id), ignore_errors=True)
    return Status.READY


def render_part(document, index, ids, size):
    if document.kind == GeneratedDocument.Kind.BADGES:
        return badges_pdf([document.event], document.layout, ids)
    section = event_part_section(
        document.event, ids, start=index * size + 1, part=index + 1, parts=document.parts, total=document.total
    )
    return attendance_list_pdf([section])


def join(folder, parts, scratch):
    """One PDF of the parts in order, read from their files one by one."""
    writer = PdfWriter()
    for index in range(parts):
        writer.append(str(folder / f"part-{index:05d}.pdf"))
    joined = scratch / "joined.pdf"
    with open(joined, "wb") as out:
        writer.write(out)
    return joined


def fail(document_id, error):
    GeneratedDocument.objects.filter(pk=document_id).exclude(status__in=GeneratedDocument.FINISHED).update(
        status=Status.FAILED, error=error, finished_at=timezone.now()
    )
    shutil.rmtree(parts_folder(document_id), ignore_errors=True)


def file_name(document):
    prefix = {GeneratedDocument.Kind.BADGES: "badges", GeneratedDocument.Kind.ATTENDANCE_LIST: "presentielijst"}
    return f"{prefix[document.kind]}-{document.event.slug}.pdf"


def finish(document, path):
    with open(path, "rb") as handle, transaction.atomic():
        document.file.save(file_name(document), File(handle), save=False)
        document.status, document.done, document.finished_at = Status.READY, document.total, timezone.now()
        document.save(update_fields=["file", "status", "done", "finished_at"])
        transaction.on_commit(lambda: notify(document))


def notify(document):
    """A staff notice to the organiser who asked, sent straight (not through the outbox,
    whose mails are a participant's); a failed send leaves the document ready on its page."""
    user = document.requested_by
    if user is None or not user.email:
        return
    url = settings.SITE_URL + reverse("admin:registrations_generateddocument_progress", args=[document.pk])
    values = {"kind": document.get_kind_display(), "event": document.event.title}
    try:
        send_mail(
            _("Klaar om te downloaden: %(kind)s voor %(event)s") % values,
            _("Het bestand met de %(kind)s voor %(event)s staat klaar. U kunt het downloaden op:\n\n%(url)s\n\n")
            % {**values, "url": url}
            + _("Het bestand wordt na %(days)s dagen verwijderd.") % {"days": settings.REGIODAG_DOCUMENT_DAYS},
            None,
            [user.email],
        )
    except Exception as error:  # noqa: BLE001 - SMTP or DNS: the document is ready all the same
        logger.warning("could not mail document %s to its organiser: %s", document.pk, error)


def discard(documents):
    """Delete these documents, their files once the deletion is committed."""
    files = list(documents.exclude(file="").values_list("file", flat=True))
    count, _deleted = documents.delete()
    storage = GeneratedDocument._meta.get_field("file").storage

    def delete_files():
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return count


def discard_expired(now=None):
    """Delete the documents older than REGIODAG_DOCUMENT_DAYS days; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.REGIODAG_DOCUMENT_DAYS)
    with transaction.atomic():
        return discard(GeneratedDocument.objects.filter(created_at__lt=cutoff))
