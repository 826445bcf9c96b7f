"""Big PDFs made by the PDF worker instead of in the web request, with their progress.

An organiser asks (``request_document``): a row is written and, once committed, the PDF
worker is given its id. The worker (``make_document``) renders the badges a part at a time
(REGIODAG_PDF_PART_SHEETS sheets) into files of their own and joins them with pypdf, so its memory
stays that of one part whatever the size of the event; after each part it records how far
it is, which the organiser's page shows. When it is ready the organiser gets a mail.
Small runs stay a direct download (``in_background``).

The files hold names: they are deleted after REGIODAG_DOCUMENT_DAYS days
(``discard_expired``, daily with the retention task) and with the personal data of anyone
in them (``discard``, from retention.erase).
"""

import logging
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
from registrations.pdf.badges import DEFAULT_LAYOUT, badges_pdf, layout_for
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
    """Record the request and hand it to the PDF worker once committed; returns the row."""
    with transaction.atomic():
        document = GeneratedDocument.objects.create(
            event=event,
            kind=kind,
            layout=layout_for(layout).key if kind == GeneratedDocument.Kind.BADGES else "",
            participant_ids=sorted(set(participant_ids)),
            requested_by=by,
        )
        transaction.on_commit(lambda: hand_over(document.pk))
    return document


def hand_over(document_id):
    from registrations.tasks import render_document

    try:
        render_document.delay(document_id)
    except Exception as error:  # noqa: BLE001 - any broker failure: say so now rather than wait forever
        logger.warning("could not hand document %s to the PDF worker: %s", document_id, error)
        GeneratedDocument.objects.filter(pk=document_id, status=Status.QUEUED).update(
            status=Status.FAILED,
            error=_("De PDF-maker is nu niet bereikbaar. Probeer het over een paar minuten opnieuw."),
            finished_at=timezone.now(),
        )


def ordered_participant_ids(document):
    """The people on the document in Dutch name order (as badge_participants sorts them),
    read as ids only so that the worker never holds everyone's rows at once."""
    people = expected_participants([document.event_id])
    if document.participant_ids:
        people = people.filter(pk__in=document.participant_ids)
    rows = people.values_list("family_name", "name_prefix", "given_name", "pk")
    return [pk for *_name, pk in sorted((f.casefold(), p.casefold(), g.casefold(), pk) for f, p, g, pk in rows)]


def claim(document_id):
    """The document to make, marked running; None when it is finished already (a task
    delivered twice) or gone."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().select_related("event").filter(pk=document_id).first()
        if document is None or document.finished:
            return None
        document.status, document.done, document.error = Status.RUNNING, 0, ""
        document.total = len(ordered_participant_ids(document))
        document.save(update_fields=["status", "done", "total", "error"])
    return document


def make_document(document_id):
    """In the PDF worker: render the document in parts, join them, store the file, mail."""
    document = claim(document_id)
    if document is None:
        return None
    try:
        with tempfile.TemporaryDirectory(prefix="regiodag-pdf-") as folder:
            render = render_badges if document.kind == GeneratedDocument.Kind.BADGES else render_attendance_list
            finish(document, join(render(document), Path(folder)))
    except Exception as error:
        logger.exception("document %s failed", document_id)
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        return Status.FAILED
    return Status.READY


def in_parts(document, ids, size):
    """(start, ids of the part) for each part, recording the progress after each one."""
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        yield start, part
        GeneratedDocument.objects.filter(pk=document.pk).update(done=start + len(part))


def render_badges(document):
    """Each part's PDF bytes: whole sheets, so that no sheet is half empty mid-way."""
    layout = layout_for(document.layout or DEFAULT_LAYOUT)
    ids = ordered_participant_ids(document)
    for _start, part in in_parts(document, ids, layout.per_sheet * settings.REGIODAG_PDF_PART_SHEETS):
        yield badges_pdf([document.event], layout.key, part)


def render_attendance_list(document):
    """Each part's PDF bytes: a list of its own, numbered on from the part before."""
    ids = ordered_participant_ids(document)
    size = ROWS_PER_SHEET * settings.REGIODAG_PDF_PART_SHEETS
    parts = -(-len(ids) // size)
    for start, part in in_parts(document, ids, size):
        section = event_part_section(
            document.event, part, start=start + 1, part=start // size + 1, parts=parts, total=len(ids)
        )
        yield attendance_list_pdf([section])


def join(parts, folder):
    """Write each part to a file as it comes (one part in memory at a time), then join them."""
    paths = []
    for data in parts:
        path = folder / f"part-{len(paths):04d}.pdf"
        path.write_bytes(data)
        paths.append(path)
    writer = PdfWriter()
    for path in paths:
        writer.append(str(path))
    joined = folder / "joined.pdf"
    with open(joined, "wb") as out:
        writer.write(out)
    return joined


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
