"""Form fields shared by the public forms of events (host offers) and registrations (teams)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.municipalities import canonical_municipality


class MunicipalityField(forms.CharField):
    """Free text with suggestions from the shipped list (a <datalist>, so no JavaScript),
    validated against the same list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "gemeenten", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        name = canonical_municipality(value)
        if name is None:
            raise forms.ValidationError(
                _("‘%(value)s’ staat niet in de lijst van Nederlandse gemeenten. Kies een gemeente uit de lijst.")
                % {"value": value}
            )
        return name
