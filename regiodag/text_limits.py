"""Length limits on long texts that hold in the form, in ``full_clean`` and in the database.

A TextField's ``max_length`` binds only the form Django makes for it (the textarea and the
form's own check). ``limited_text`` binds ``full_clean`` too, and ``length_limit`` the
database, so that a text written another way (a script, a queryset update, a form that
forgets) is refused as well rather than growing without bound on every page it is shown.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def limited_text(verbose_name, limit, **options):
    """A TextField of at most ``limit`` characters; pair it with ``length_limit`` in Meta."""
    return models.TextField(verbose_name, max_length=limit, validators=[MaxLengthValidator(limit)], **options)


def length_limit(model_name, field_name, limit, verbose_name):
    """The database's side of ``limited_text``, with a Dutch message for the admin (never
    the constraint's name)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field_name), limit),
        name=f"{model_name}_{field_name}_length",
        violation_error_message=format_lazy(
            _("‘{field}’ mag hoogstens {limit} tekens lang zijn."), field=verbose_name, limit=limit
        ),
    )
