"""Helpers for the conference-registration tests: a filled-in form, as a browser sends it."""

import time

from django.urls import reverse

from registrations.forms import sign_start


def workshop_ids(event, index=0):
    """The ``index``-th workshop (by id) of every round."""
    return [list(r.workshops.order_by("pk"))[index].pk for r in event.rounds.order_by("number")]


def form_data(event, n=1, workshops=None, **overrides):
    workshops = workshop_ids(event) if workshops is None else workshops
    data = {
        "given_name": "Esther",
        "name_prefix": "van der",
        "family_name": f"Mark{n}",
        "email": f"deelnemer{n}@example.org",
        "organisation": "Gemeente Nijmegen",
        "function": "beleidsadviseur",
        "dietary_wishes": "vegetarisch",
        "accessibility_needs": "",
        "privacy": "on",
        "website": "",
        # Shown a minute ago: a person's pace, past the spam trap's minimum.
        "started": sign_start(time.time() - 60),
    }
    for rnd, workshop_id in zip(event.rounds.order_by("number"), workshops, strict=False):
        data[f"round_{rnd.number}"] = str(workshop_id)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def register_url(event):
    return reverse("registrations:register", args=[event.slug])
