"""The admin search over registrations: participants' names whatever the accents or case.

Django's own search compares the typed text with the stored text, so "zoe" misses "Zoë".
Each participant carries a normalised copy of their name, organisation and municipality
(``Participant.search_name``); each word of the query is put through the same ``normalise``
and matched against it, beside the registration's own fields in ``search_fields``.
"""

from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from registrations.models import Participant
from registrations.search import normalise


class ParticipantNameSearch:
    """For admins of registrations whose ``search_fields`` are fields of the registration itself
    (no ``participants__…``): names are searched through ``search_name`` instead."""

    def get_search_results(self, request, queryset, search_term):
        lookups = [f"{field}__icontains" for field in self.get_search_fields(request)]
        # As Django does: every word must match somewhere; a quoted phrase counts as one word.
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            found = Q.create([(lookup, word) for lookup in lookups], connector=Q.OR)
            name = normalise(word)
            if name:
                # A subquery rather than a join: a registration with two matching participants
                # is still one row, so the list needs no DISTINCT.
                participants = Participant.objects.filter(search_name__contains=name)
                found |= Q(pk__in=participants.values("registration_id"))
            queryset = queryset.filter(found)
        return queryset, False
