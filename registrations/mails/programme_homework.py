"""The session's programme and homework files, attached to the mail that carries them."""

import mimetypes

from events.models import SessionDocument
from registrations.mails.rendering import attach


def session_document(kind):
    def make(mail):
        document = SessionDocument.objects.filter(event_id=mail.registration.event_id, kind=kind).first()
        if document is None:
            return None
        with document.file.open("rb") as handle:
            content = handle.read()
        mimetype = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
        return document.filename, content, mimetype

    make.__name__ = f"attach_{kind}"
    return make


attach_programme = attach("programme_homework")(session_document(SessionDocument.Kind.PROGRAMME))
attach_homework = attach("programme_homework")(session_document(SessionDocument.Kind.HOMEWORK))
