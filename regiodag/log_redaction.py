"""Keeps personal links out of the logs.

A personal page is reached through its secret token alone, so a log line holding the path
(Django's "Bad Request: /aanmelding/<token>/…" warnings, a traceback's request line) would
hand anyone who reads the logs the participant's registration. The filter rewrites every
record's message before any handler formats it.
"""

import logging
import re

# The personal links' path segment (and a certificate's code, which names its holder on its
# public page), and any free-standing run as long as a token
# (secrets.token_urlsafe(32) makes 43 characters), wherever else one turns up.
PERSONAL_PATH = re.compile(r"(/aanmelding/|/uitnodiging/|/contactpersoon/|/bewijs/)[^/\s?#\"']+")
TOKEN_LIKE = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])")
HIDDEN = "[verborgen]"


def redact(text):
    return TOKEN_LIKE.sub(HIDDEN, PERSONAL_PATH.sub(rf"\g<1>{HIDDEN}", text))


class RedactTokens(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
