"""Reads about places: how many are taken, left and waiting, per event and per workshop.

Everything is counted from the rows, the one source of truth; the capacity service
(registrations.services.places) locks the capacity rows before it counts, so a count there
is exact.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects

from registrations.models import Registration, WorkshopChoice

HOLDING = Q(status__in=Registration.HOLDS_PLACE)


def places_taken(event):
    return Registration.objects.filter(HOLDING, event=event).count()


def places_left(event, taken=None):
    """None means unlimited."""
    if event.capacity is None:
        return None
    taken = places_taken(event) if taken is None else taken
    return max(event.capacity - taken, 0)


def waiting_count(event):
    return Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).count()


def workshop_taken(workshop_ids, exclude_registration=None):
    """{workshop_id: places taken} for the given workshops, in one query."""
    choices = WorkshopChoice.objects.filter(
        workshop_id__in=list(workshop_ids), participant__registration__status__in=Registration.HOLDS_PLACE
    )
    if exclude_registration is not None:
        choices = choices.exclude(participant__registration=exclude_registration)
    counts = dict(choices.values_list("workshop_id").annotate(n=Count("id")).values_list("workshop_id", "n"))
    return {workshop_id: counts.get(workshop_id, 0) for workshop_id in workshop_ids}


def waiting_for(registration):
    """Why a waiting registration waits: the titles of its chosen workshops that are full
    now, or "" where the event itself is full (or a place has just come free)."""
    if registration.status != Registration.Status.WAITLISTED or places_left(registration.event) == 0:
        return ""
    choices = list(WorkshopChoice.objects.filter(participant__registration=registration).select_related("workshop"))
    taken = workshop_taken({choice.workshop_id for choice in choices}, exclude_registration=registration)
    full = {choice.workshop.title for choice in choices if taken[choice.workshop_id] >= choice.workshop.capacity}
    return ", ".join(sorted(full))


def event_occupancy(events):
    """{event_id: (taken, waiting)} for many events in one query (catalogue, admin lists)."""
    rows = (
        Registration.objects.filter(event__in=events)
        .values("event_id")
        .annotate(
            taken=Count("id", filter=HOLDING),
            waiting=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
        )
    )
    result = {row["event_id"]: (row["taken"], row["waiting"]) for row in rows}
    return {event.pk: result.get(event.pk, (0, 0)) for event in events}


def rounds_with_places(event):
    """The event's rounds with their workshops, each workshop annotated with ``taken`` and
    ``left``, in two queries whatever the number of workshops."""
    rounds = list(event.rounds.prefetch_related("workshops__hosts"))
    workshops = [w for r in rounds for w in r.workshops.all()]
    taken = workshop_taken([w.pk for w in workshops])
    for workshop in workshops:
        workshop.taken = taken[workshop.pk]
        workshop.left = max(workshop.capacity - workshop.taken, 0)
        workshop.is_full = workshop.left == 0
    return rounds


def event_page_rounds(event):
    """The event page's rounds and workshops with their places, and each workshop's public
    material as ``public_materials``: one query more however many workshops there are.
    Given to the event pages through events.hooks."""
    from workshops.models import Material

    rounds = rounds_with_places(event)
    workshops = [workshop for rnd in rounds for workshop in rnd.workshops.all()]
    prefetch_related_objects(
        workshops, Prefetch("materials", queryset=Material.objects.public(), to_attr="public_materials")
    )
    return rounds


def capacity_overview(events):
    """The events with ``taken``/``waiting`` and their rounds' workshops with ``taken``/``waiting``,
    in three queries whatever the number of events, workshops or registrations."""
    from workshops.models import Workshop

    events = list(events)
    annotate = event_occupancy(events)
    for event in events:
        event.taken, event.waiting = annotate[event.pk]
        event.workshop_list = []
    by_event = {event.pk: event for event in events}
    workshops = (
        Workshop.objects.filter(round__event__in=events)
        .select_related("round")
        .annotate(
            taken=Count("choices", filter=Q(choices__participant__registration__status__in=Registration.HOLDS_PLACE)),
            waiting=Count(
                "choices", filter=Q(choices__participant__registration__status=Registration.Status.WAITLISTED)
            ),
        )
        .order_by("round__number", "title")
    )
    for workshop in workshops:
        by_event[workshop.round.event_id].workshop_list.append(workshop)
    return events


def choice_rounds(event):
    """The event's rounds, each with ``workshop_list`` annotated like ``rounds_with_places``,
    in one query: what the registration form needs and no more (it is the hot page)."""
    from workshops.models import Workshop

    workshops = (
        Workshop.objects.filter(round__event=event)
        .select_related("round")
        .annotate(
            taken=Count("choices", filter=Q(choices__participant__registration__status__in=Registration.HOLDS_PLACE))
        )
        .order_by("round__number", "title")
    )
    rounds = {}
    for workshop in workshops:
        rnd = rounds.setdefault(workshop.round_id, workshop.round)
        if not hasattr(rnd, "workshop_list"):
            rnd.workshop_list = []
        rnd.workshop_list.append(workshop)
        workshop.left = max(workshop.capacity - workshop.taken, 0)
        workshop.is_full = workshop.left == 0
    return list(rounds.values())


def registration_materials(registration):
    """The workshops its participants chose that have material, each with all of it (also
    what is only for participants), in two queries. Only while the registration holds a
    place: a waiting list, a refusal or a cancellation is not a seat in the workshop."""
    from workshops.models import Material, Workshop

    if not registration.holds_place:
        return []
    chosen = WorkshopChoice.objects.filter(participant__registration=registration).values("workshop_id")
    return list(
        Workshop.objects.filter(pk__in=chosen)
        .filter(Exists(Material.objects.filter(workshop=OuterRef("pk"))))
        .select_related("round")
        .prefetch_related("materials")
        .order_by("round__number", "title")
    )


def registration_material(token, material_id):
    """The material whose file the personal link ``token`` may fetch, or None: the
    registration holds a place and one of its participants chose the workshop."""
    from workshops.models import Material

    return (
        Material.objects.exclude(file="")
        .filter(
            pk=material_id,
            # One filter() call, so both conditions hold for the same choice.
            workshop__choices__participant__registration__token=token,
            workshop__choices__participant__registration__status__in=Registration.HOLDS_PLACE,
        )
        .first()
    )
