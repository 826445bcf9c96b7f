"""The driehoek form: a municipality, its three members and a contact person, in one post."""

from html import unescape

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from events.fields import MunicipalityField
from regiodag.spam_trap import SpamTrapMixin
from regiodag.text_validators import one_line
from registrations.forms import lazy_privacy_label
from registrations.models import Participant
from registrations.services.registering import Person


class TeamForm(SpamTrapMixin, forms.Form):
    municipality = MunicipalityField(
        label=_("Gemeente"), help_text=_("Begin te typen en kies uw gemeente uit de lijst.")
    )
    contact_name = forms.CharField(label=_("Naam contactpersoon"), max_length=200, validators=[one_line])
    contact_email = forms.EmailField(
        label=_("E-mailadres contactpersoon"),
        max_length=254,  # the column's length; Django's form field allows 320
        help_text=_("Bijvoorbeeld de griffie of het bestuurssecretariaat: voor vragen over de aanmelding."),
    )
    # The registering service records the consent for the whole team; the contact person gives
    # it, so the help text says it covers the three members too.
    privacy = forms.BooleanField(
        label=lazy_privacy_label(),
        help_text=_(
            "Als contactpersoon gaat u hiermee akkoord namens de driehoek: de gegevens van de drie leden "
            "worden alleen voor deze leerbijeenkomst gebruikt."
        ),
        error_messages={
            "required": _("U kunt de driehoek alleen aanmelden als u akkoord gaat met de privacyverklaring.")
        },
    )
    waitlist = forms.BooleanField(
        label=_("Zet onze driehoek op de wachtlijst als de bijeenkomst vol is"),
        required=False,
    )


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=[(role.value, role.label) for role in Participant.TEAM_ROLES])
    given_name = forms.CharField(label=_("Voornaam"), max_length=100, validators=[one_line])
    name_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=30, required=False, validators=[one_line])
    family_name = forms.CharField(label=_("Achternaam"), max_length=150, validators=[one_line])
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)


class TeamRegistrationForm:
    """The team form and its three member forms, validated as one: the roles each once, every
    member their own address."""

    def __init__(self, data=None):
        self.team = TeamForm(data)
        self.members = [
            MemberForm(data, prefix=f"lid{number}", initial={"role": role})
            for number, role in enumerate(Participant.TEAM_ROLES, start=1)
        ]

    @property
    def forms(self):
        return [self.team, *self.members]

    def is_valid(self):
        results = [form.is_valid() for form in self.forms]  # validate every form, so each shows its errors
        if not all(results):
            return False
        seen_roles, seen_emails = set(), set()
        for member in self.members:
            role, email = member.cleaned_data["role"], member.cleaned_data["email"].lower()
            if role in seen_roles:
                member.add_error(
                    "role",
                    _("De rol %(role)s is al aan een ander lid gegeven. Elke rol komt precies één keer voor.")
                    % {"role": Participant.Role(role).label},
                )
            if email in seen_emails:
                member.add_error(
                    "email",
                    _("Dit e-mailadres is al voor een ander lid gebruikt. Ieder lid heeft een eigen adres nodig."),
                )
            seen_roles.add(role)
            seen_emails.add(email)
        return not any(member.errors for member in self.members)

    def people(self):
        return [
            Person(
                given_name=member.cleaned_data["given_name"],
                name_prefix=member.cleaned_data["name_prefix"],
                family_name=member.cleaned_data["family_name"],
                email=member.cleaned_data["email"],
                role=member.cleaned_data["role"],
                organisation=f"Gemeente {self.team.cleaned_data['municipality']}",
                function=Participant.Role(member.cleaned_data["role"]).label,
            )
            for member in self.members
        ]

    def add_service_error(self, error):
        """Show a refusal of the service next to the field it is about."""
        field = error.field if error.field in self.team.fields else None
        self.team.add_error(field, error)

    def error_list(self):
        """(field id or None, message naming the field) for the summary at the top of the page,
        in the order of the page: general refusals, the municipality, each member, then the
        contact person, consent and waiting list (WCAG: the summary reads as the form does)."""
        above_members = [NON_FIELD_ERRORS, "municipality"]
        sections = [("", self.team, above_members)]
        sections += [
            (_("Lid %(n)s van de driehoek") % {"n": n} + " – ", member, [NON_FIELD_ERRORS, *member.fields])
            for n, member in enumerate(self.members, start=1)
        ]
        sections.append(("", self.team, [name for name in self.team.fields if name not in above_members]))
        entries = []
        for group, form, names in sections:
            for name in names:
                errors = form.errors.get(name, [])
                if name == NON_FIELD_ERRORS:
                    entries += [(None, message) for message in errors]
                    continue
                # The consent label links to the statement; the summary is itself a link, so text only.
                label = f"{group}{unescape(strip_tags(form[name].label))}: "
                entries += [(form[name].id_for_label, label + message) for message in errors]
        return entries
