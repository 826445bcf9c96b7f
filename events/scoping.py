"""Organisers see and change only what belongs to their own organisations.

One mixin carries the rule for every admin: it filters the change list (and so every
object URL, since the admin looks objects up through ``get_queryset``) and limits every
foreign-key and many-to-many choice, so nothing can be attached to another organisation.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from events.models import Event, Organisation, Series, Venue


def organisations_of(user):
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(members=user)


def managed_by(queryset, user, organisation_path):
    """The rows of ``queryset`` that belong to one of the user's organisations."""
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{organisation_path}__members": user}).distinct()


def managed_upload(user, model, pk):
    """The row whose file an organiser asked for, or None when it is not theirs (or has no
    file). Without the model's view permission they may have none of them."""
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise PermissionDenied
    return managed_by(model.objects.exclude(file=""), user, model.organisation_path).filter(pk=pk).first()


# How to reach the organisations from the choices an admin form may offer.
CHOICE_SCOPES = {
    Organisation: "pk__in",
    Event: "organisations__in",
    Series: "organisations__in",
}


def scope_choices(queryset, user):
    if user.is_superuser:
        return queryset
    model = queryset.model
    if model is Venue:
        return queryset  # venues are shared: a town hall hosts events of many organisers
    lookup = CHOICE_SCOPES.get(model)
    if lookup is None:
        path = getattr(model, "organisation_path", None)
        if path is None:
            return queryset
        lookup = f"{path}__in"
    return queryset.filter(Q(**{lookup: organisations_of(user)})).distinct()


class ScopedChoices:
    """Limits every foreign-key and many-to-many choice to the user's organisations."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return scoped(super().formfield_for_foreignkey(db_field, request, **kwargs), request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return scoped(super().formfield_for_manytomany(db_field, request, **kwargs), request.user)


def scoped(field, user):
    if field is not None and hasattr(field, "queryset"):
        field.queryset = scope_choices(field.queryset, user)
    return field


class OrganisationScopedAdmin(ScopedChoices, admin.ModelAdmin):
    #: lookup path from this admin's model to Organisation
    organisation_path = "organisations"

    def get_queryset(self, request):
        return managed_by(super().get_queryset(request), request.user, self.organisation_path)


# Inlines hang off an already-scoped parent; only their choices need the same limits.
ScopedInline = ScopedChoices
