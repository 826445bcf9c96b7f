"""The contact's own form ("Gegevens wijzigen")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.municipalities import canonical_municipality
from regiodag.spam_trap import SpamTrapMixin
from registrations.invitations.contacts import DETAIL_FIELDS
from registrations.invitations.models import Contact


class ContactDetailsForm(SpamTrapMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = DETAIL_FIELDS

    def clean_municipality(self):
        name = self.cleaned_data["municipality"].strip()
        if not name:
            return ""
        canonical = canonical_municipality(name)
        if canonical is None:
            raise forms.ValidationError(_("Kies een gemeente uit de lijst."))
        return canonical
