"""Participant forms for a conference day: registering, changing details and workshops.

The forms only check what a form can see (required fields, the spam trap, one choice per
round); places, the window and duplicates are the services' business, whose refusals the
views attach to the field they concern.
"""

from functools import cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils.functional import cached_property, lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.dates import hour
from events.municipalities import organisation_suggestions
from events.privacy_links import with_statement_link
from regiodag.spam_trap import SpamTrapMixin, spam_trap_fields
from regiodag.spam_trap import sign_start as sign_start  # the stamp of this form, as tests make it
from regiodag.text_validators import one_line
from registrations.services.details import EDITABLE as DETAIL_FIELDS
from registrations.services.registering import Person


class DatalistInput(forms.TextInput):
    """A text input with suggestions the browser offers while typing; free text stays allowed."""

    template_name = "registrations/widgets/datalist_input.html"

    def __init__(self, suggestions, list_id, attrs=None):
        super().__init__({**(attrs or {}), "list": list_id})
        self.suggestions = suggestions
        self.list_id = list_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(options=datalist_options(self.suggestions()), list_id=self.list_id)
        return context


@cache
def datalist_options(suggestions):
    # Hundreds of fixed options: built once per process, not looped over in a template on
    # every page view (that loop was most of the form's rendering time).
    return format_html_join("", '<option value="{}">', ((name,) for name in suggestions))


class WorkshopRadioSelect(forms.RadioSelect):
    """Radio buttons whose full workshops cannot be picked (unless ``selectable``)."""

    def __init__(self, *args, disabled_values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values = {str(v) for v in disabled_values}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def workshop_places(workshop):
    """'vol' or 'nog 3 plaatsen', marked up for the workshop's label."""
    if workshop.is_full:
        return format_html('<span class="status-full">{}</span>', _("vol"))
    text = ngettext("nog %(n)s plaats", "nog %(n)s plaatsen", workshop.left) % {"n": workshop.left}
    return format_html('<span class="places-left">{}</span>', text)


def workshop_label(workshop):
    places = workshop_places(workshop)
    room = format_html(" · {}", workshop.room) if workshop.room else ""
    return format_html("{} {}{}", workshop.title, places, room)


lazy_workshop_label = lazy(workshop_label, SafeString)


def round_label(rnd):
    return format_html("{} ({}–{} {})", rnd, hour(rnd.starts_at), hour(rnd.ends_at), _("uur"))


lazy_round_label = lazy(round_label, SafeString)


class WorkshopField(forms.TypedChoiceField):
    """One round's choice of workshop.

    Its choices are made once with the field and never changed, so a form's copy of the
    field shares them: Django copies a choice field's choices for every form it builds,
    which cost more than everything else in copying the registration form's fields.
    """

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


def round_fields(rounds, *, full_selectable=False, keep=()):
    """One required radio group per round, named ``round_<number>`` as the services expect."""
    fields = {}
    for rnd in rounds:
        workshops = rnd.workshop_list
        disabled = [] if full_selectable else [w.pk for w in workshops if w.is_full and w.pk not in set(keep)]
        fields[f"round_{rnd.number}"] = WorkshopField(
            # Labels are only needed when the form is shown, not when it is checked.
            label=lazy_round_label(rnd),
            choices=[(w.pk, lazy_workshop_label(w)) for w in workshops],
            coerce=int,
            widget=WorkshopRadioSelect(disabled_values=disabled),
            error_messages={
                "required": _("Kies een workshop in deze ronde."),
                "invalid_choice": _("Kies een van de workshops van deze ronde."),
            },
        )
    return fields


class WorkshopRoundsMixin:
    """For a form with round_fields(self.rounds)."""

    rounds = ()

    def round_field_names(self):
        return [f"round_{rnd.number}" for rnd in self.rounds]

    def workshop_ids(self):
        return tuple(self.cleaned_data[name] for name in self.round_field_names())


def participant_fields(contact=None):
    """The personal fields shared by registering and changing details, in the page's order;
    ``contact`` (fields by name) goes after the name.

    Their error messages are made in the active language: the fields serve one language.
    """
    fields = {
        "given_name": forms.CharField(
            label=_("Voornaam"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
        ),
        "name_prefix": forms.CharField(
            label=_("Tussenvoegsel"), max_length=30, required=False, help_text=_("Bijvoorbeeld ‘van der’.")
        ),
        "family_name": forms.CharField(
            label=_("Achternaam"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
        ),
        **(contact or {}),
        "organisation": forms.CharField(
            label=_("Organisatie"),
            max_length=200,
            help_text=_("Kies uit de lijst of typ de naam van uw organisatie."),
            widget=DatalistInput(organisation_suggestions, "organisatie-suggesties", {"autocomplete": "organization"}),
        ),
        "function": forms.CharField(
            label=_("Functie"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization-title"})
        ),
        "dietary_wishes": forms.CharField(
            label=_("Dieetwensen voor de netwerklunch"),
            max_length=300,
            required=False,
            help_text=_("Bijvoorbeeld vegetarisch, veganistisch, glutenvrij of een allergie."),
        ),
        "accessibility_needs": forms.CharField(
            label=_("Toegankelijkheid"),
            max_length=300,
            required=False,
            help_text=_("Wat heeft u nodig om goed te kunnen deelnemen? Bijvoorbeeld een rolstoelplek of een tolk."),
        ),
    }
    for field in fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField):
            field.validators.append(one_line)
    for name in ("given_name", "family_name", "function"):
        fields[name].error_messages["required"] = _("Vul uw %(field)s in.") % {"field": str(fields[name].label).lower()}
    fields["organisation"].error_messages["required"] = _("Vul de naam van uw organisatie in.")
    return fields


class ParticipantFieldsMixin:
    """The layout of participant_fields()."""

    def participant_fields_layout(self):
        return Fieldset(
            _("Uw gegevens"),
            Div(
                Div("given_name", css_class="col-12 col-md-4"),
                Div("name_prefix", css_class="col-12 col-md-3"),
                Div("family_name", css_class="col-12 col-md-5"),
                css_class="row",
            ),
            *self.contact_fields(),
            "organisation",
            "function",
            "dietary_wishes",
            "accessibility_needs",
        )

    def contact_fields(self):
        return []


def privacy_label():
    """The consent sentence of the registration forms, with the statement linked in it."""
    return with_statement_link(
        _("Ik ga akkoord met de %(privacy_statement)s: mijn gegevens worden alleen voor deze bijeenkomst gebruikt.")
    )


# Built when the form is shown, in the visitor's language.
lazy_privacy_label = lazy(privacy_label, SafeString)


class RegistrationForm(SpamTrapMixin, ParticipantFieldsMixin, WorkshopRoundsMixin, forms.Form):
    """Registering one person for a conference day; registration_form_class() makes the form
    of an event."""

    offer_waitlist = False

    @cached_property
    def helper(self):
        # Built when the form is shown; a form that is only checked never needs it.
        return self.build_helper()

    def contact_fields(self):
        return ["email"]

    def build_helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        parts = [self.participant_fields_layout()]
        if self.rounds:
            parts.append(
                Fieldset(
                    _("Workshops"),
                    HTML("<p>{}</p>".format(_("Kies in elke ronde één workshop."))),
                    *self.round_field_names(),
                )
            )
        parts.append(Fieldset(_("Privacy"), "privacy"))
        if self.offer_waitlist:
            parts.append("waitlist")
        parts.append(Div("website", css_class="d-none", aria_hidden="true"))
        # ``started`` is rendered by the page itself, outside the (cached) form markup.
        helper.layout = Layout(*parts)
        return helper

    def show_waitlist(self):
        """After the services said 'full': offer the waiting list on the re-shown form."""
        if not self.offer_waitlist:
            self.offer_waitlist = True
            self.__dict__.pop("helper", None)
        # Waiting for a full workshop is what is offered: its button must be sent along, and
        # a browser sends no disabled one.
        for name in self.round_field_names():
            self.fields[name].widget.disabled_values = set()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def person(self):
        data = self.cleaned_data
        return Person(
            given_name=data["given_name"],
            name_prefix=data["name_prefix"],
            family_name=data["family_name"],
            email=data["email"],
            organisation=data["organisation"],
            function=data["function"],
            dietary_wishes=data["dietary_wishes"],
            accessibility_needs=data["accessibility_needs"],
            workshop_ids=self.workshop_ids(),
        )


def registration_fields(rounds, *, offer_waitlist=False):
    """Every field of the registration form, in the page's order."""
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,  # the column's length; Django's form field allows 320
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Hierheen sturen we de bevestiging en uw persoonlijke link."),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@gemeente.nl."),
        },
    )
    return {
        **participant_fields(contact={"email": email}),
        # On a full event everybody waits, so every workshop is a valid preference.
        **round_fields(rounds, full_selectable=offer_waitlist),
        "privacy": forms.BooleanField(
            label=lazy_privacy_label(),
            error_messages={"required": _("U kunt zich alleen aanmelden als u akkoord gaat met de privacyverklaring.")},
        ),
        "waitlist": forms.BooleanField(
            label=_("Plaats mij op de wachtlijst als het evenement of mijn workshop vol is."), required=False
        ),
        **spam_trap_fields(),
    }


def registration_form_class(rounds, *, offer_waitlist=False):
    """The RegistrationForm of an event with these rounds, in the active language."""
    attributes = {"rounds": rounds, "offer_waitlist": offer_waitlist}
    fields = registration_fields(rounds, offer_waitlist=offer_waitlist)
    return type("RegistrationForm", (RegistrationForm,), {**attributes, **fields})


class DetailsForm(ParticipantFieldsMixin, forms.Form):
    """Changing one's own details on the personal page (the address stays: it is the key)."""

    def __init__(self, *args, participant, **kwargs):
        kwargs.setdefault(
            "initial",
            {name: getattr(participant, name) for name in DETAIL_FIELDS},
        )
        super().__init__(*args, **kwargs)
        self.fields.update(participant_fields())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(self.participant_fields_layout())


class WorkshopChoiceForm(WorkshopRoundsMixin, forms.Form):
    def __init__(self, *args, rounds, current, full_selectable=False, **kwargs):
        by_round = {choice.round_id: choice.workshop_id for choice in current}
        kwargs.setdefault("initial", {f"round_{r.number}": by_round.get(r.pk) for r in rounds})
        super().__init__(*args, **kwargs)
        self.rounds = rounds
        # One's own workshop stays selectable even when it is full: the place is theirs.
        self.fields.update(round_fields(rounds, full_selectable=full_selectable, keep=by_round.values()))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.round_field_names())
