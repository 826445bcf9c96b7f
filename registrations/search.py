"""Name search that ignores accents and case, alike on PostgreSQL and SQLite.

Neither database finds "Zoë" for "zoe" by itself, and PostgreSQL's ``unaccent`` is an
extension that a production database may not allow. So every participant carries a
normalised copy of what is searched (``Participant.search_name``), and a query is put
through the same ``normalise`` before a plain substring match: one function for both
sides, so they cannot drift apart.
"""

import unicodedata
from functools import reduce
from operator import and_

from django.db.models import Q

# Letters NFKD leaves whole because they are not a base letter plus a mark; typed at the
# door without them ("Sørensen" as "sorensen", "Yıldız" as "yildiz").
WHOLE_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
MAX_WORDS = 5


def normalise(text):
    """Lower case, accents off, runs of whitespace as one space: 'Zoë  Öztürk' → 'zoe ozturk'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(WHOLE_LETTERS).split())


def search_text(*parts):
    """The stored search text of a participant, from the parts a query may match."""
    return normalise(" ".join(part for part in parts if part))


def matching(query):
    """A filter on ``search_name`` that every word of ``query`` must match; None without words."""
    words = normalise(query).split()[:MAX_WORDS]
    if not words:
        return None
    return reduce(and_, (Q(search_name__contains=word) for word in words))
