"""The 'Organisatoren' group: the model permissions an organiser needs in the admin.

Which rows they may touch is decided by organisation (see events.scoping); this group only
says which kinds of thing they may manage at all.
"""

from django.contrib.auth.models import Group, Permission

ORGANISER_GROUP = "Organisatoren"

ORGANISER_MODELS = {
    "events": ["event", "programmeitem", "venue", "speaker", "series", "sessiondocument", "hostoffer"],
    "workshops": ["round", "workshop", "material"],
    "registrations": [
        "registration",
        "teamregistration",
        "participant",
        "workshopchoice",
        "attendance",
        "mail",
        "contact",
        "mailing",
        "participantmessage",
    ],
}
READ_ONLY = {("events", "organisation"), ("registrations", "generateddocument")}


def ensure_organiser_group(**_kwargs):
    group, _ = Group.objects.get_or_create(name=ORGANISER_GROUP)
    wanted = []
    for app_label, models in ORGANISER_MODELS.items():
        wanted += list(Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models))
    for app_label, model in READ_ONLY:
        wanted += list(
            Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model, codename__startswith="view_"
            )
        )
    group.permissions.set(wanted)
    return group
