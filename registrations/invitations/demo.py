"""The demo's contact list (VNG's, made up, at example.org) and one sent invitation to the
demo conference, recorded through the same services as a real mailing."""

from django.db import transaction

from events.models import Event, Organisation
from registrations.invitations.mailings import send_mailing
from registrations.invitations.models import Contact, Mailing

OWNER = "vng"
EVENT = "ambtelijke-dag-van-de-regios-demo"
SUBJECT = "Denkt u mee over regionale samenwerking?"
TEXT = "\n\n".join(
    [
        "Op de Ambtelijke Dag van de Regio's gaan we graag met u in gesprek over regionale samenwerking.",
        "Gemeenten participeren steeds vaker in uiteenlopende regionale samenwerkingsverbanden. "
        "Die samenwerking biedt allerlei voordelen, maar roept ook vragen op.",
        "Bent u raadslid, burgemeester, wethouder, gemeentesecretaris, griffier of gemeenteambtenaar en "
        "betrokken bij regionale samenwerking? Dan nodigen wij u van harte uit om deel te nemen.",
        "Bij voorbaat hartelijk dank voor uw deelname!",
    ]
)

# (salutation, given name, prefix, family name, role, municipality)
CONTACTS = [
    ("mevrouw", "Esther", "van der", "Mark", "ambtenaar", "Nijmegen"),
    ("heer", "Bram", "", "Bakker", "burgemeester", "Zutphen"),
    ("mevrouw", "Griet", "de", "Vries", "griffier", "Bronckhorst"),
    ("", "Sam", "", "Jansen", "wethouder", "Tilburg"),
    ("heer", "Pieter", "van", "Dijk", "gemeentesecretaris", "Súdwest-Fryslân"),
    ("mevrouw", "Roos", "", "Visser", "raadslid", "Arnhem"),
    ("", "", "", "", "ambtenaar", "Utrecht"),
    ("heer", "Niels", "ter", "Horst", "raadslid", "Enschede"),
    ("mevrouw", "Karin", "", "Huisman", "wethouder", "Groningen"),
    ("heer", "Daan", "de", "Boer", "griffier", "Maastricht"),
    ("mevrouw", "Ilse", "van den", "Berg", "ambtenaar", "Zwolle"),
    ("heer", "Joost", "", "Mulder", "burgemeester", "Middelburg"),
]


def demo_email(n):
    return f"contact{n}@example.org"


@transaction.atomic
def load_demo_invitations():
    """Once: the contact list, and the invitation sent to it; later runs change nothing."""
    owner = Organisation.objects.filter(slug=OWNER).first()
    event = Event.objects.filter(slug=EVENT).first()
    if owner is None or event is None or Mailing.objects.filter(owner=owner, subject=SUBJECT).exists():
        return None
    for n, (salutation, given, prefix, family, role, municipality) in enumerate(CONTACTS, start=1):
        Contact.objects.get_or_create(
            owner=owner,
            email=demo_email(n),
            defaults=dict(
                salutation=salutation,
                given_name=given,
                name_prefix=prefix,
                family_name=family,
                role=role,
                municipality=municipality,
                organisation=f"Gemeente {municipality}",
                function=role,
            ),
        )
    mailing = Mailing.objects.create(owner=owner, event=event, subject=SUBJECT, text=TEXT, reminder_days_before=7)
    send_mailing(mailing.pk)
    mailing.refresh_from_db()
    return mailing
