"""The order in which a Dutch reader looks a name up: one key, for lists, badges and pages.

'Esther van der Mark' is filed under M as 'Mark, Esther van der'; 'Çakır' among the C's and
'Öztürk' among the O's, not after Z; capitals and accents do not count. The key is the
normalised text of the name search (``registrations.search.normalise``), so the two cannot
drift apart. It is stored on each participant (``Participant.sort_name``) for the pages
whose querysets are ordered by the database, and computed for lists made in Python.
"""

from registrations.search import normalise

# Longer than any name the form accepts (100 + 30 + 150 and the separators).
MAX_LENGTH = 300


def sort_name(given_name, name_prefix, family_name):
    """'Esther', 'van der', 'Mark' → 'mark, esther van der'."""
    rest = " ".join(part for part in (given_name, name_prefix) if part)
    return normalise(f"{family_name}, {rest}" if rest else family_name or "")[:MAX_LENGTH]
