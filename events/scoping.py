"""Organisers see and change only what belongs to their own organisations.

One rule, one helper (``visible``) for every admin: the change list (and so every object
URL, since the admin looks objects up through ``get_queryset``), every foreign-key and
many-to-many choice, every list filter, every custom admin page and every count.

Each model an organiser may see declares ``organisation_path``: the lookup from the model to
``Organisation``. A model without one shows an organiser nothing, never everything. A model
with ``shared_when_ownerless`` (venues, speakers) also offers its rows without an owner: the
platform administrator's shared ones, which organisers may choose but not change.
Superusers are the platform administrators and see everything.
"""

from contextlib import contextmanager

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import ModelChoiceField

from events.models import Organisation

# Admins of these models are for the platform administrator only: the organisers' group
# (events.permissions) grants no permission on them, and the admin scoping test checks that
# an organiser is refused there. Any other registered admin must be organisation-scoped.
PLATFORM_ONLY = {
    "auth.user",
    "auth.group",
    # sign-in records (django-axes) and second-factor devices (django-otp)
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "otp_static.staticdevice",
    "otp_totp.totpdevice",
}


def is_platform_admin(user):
    return user.is_active and user.is_superuser


def organisations_of(user):
    if is_platform_admin(user):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(members=user)


def organisation_path(model):
    """The lookup from ``model`` to Organisation, or None when it has none."""
    if model is get_user_model():
        return "organisations"  # colleagues: the users of one's own organisations
    return getattr(model, "organisation_path", None)


def visible(queryset, user, *, shared=True):
    """The rows of ``queryset`` the user may see: those of their organisations (and, with
    ``shared``, ownerless rows of models that share them). Nothing when the model has no
    path to an organisation."""
    if is_platform_admin(user):
        return queryset
    model = queryset.model
    path = organisation_path(model)
    if path is None:
        return queryset.none()
    # A subquery rather than a join: rows reached through many organisations stay one row,
    # so no DISTINCT is needed beside the admin's own annotations.
    own = model._base_manager.filter(**{f"{path}__in": organisations_of(user)}).values("pk")
    rule = Q(pk__in=own)
    if shared and getattr(model, "shared_when_ownerless", False):
        rule |= Q(**{f"{path}__isnull": True})
    return queryset.filter(rule)


def owns(user, obj):
    """Whether the user may change ``obj``: shared (ownerless) rows only the platform admin."""
    return visible(type(obj)._base_manager.filter(pk=obj.pk), user, shared=False).exists()


def managed_upload(user, model, pk):
    """The row whose file an organiser asked for, or None when it is not theirs (or has no
    file). Without the model's view permission they may have none of them."""
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise PermissionDenied
    return visible(model.objects.exclude(file=""), user).filter(pk=pk).first()


def scoped(field, user):
    if field is not None and hasattr(field, "queryset"):
        field.queryset = visible(field.queryset, user)
    return field


def keep_current_choices(form_class):
    """A saved row keeps its current foreign keys choosable, also when they belong to a
    co-organiser the user cannot see (the venue of a shared event): otherwise the browser
    would send the first visible choice and the link would silently change. Only the saved
    value counts, never initial data from the URL."""
    original_init = form_class.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if self.instance._state.adding:
            return
        for field in self.instance._meta.concrete_fields:
            choice = self.fields.get(field.name)
            current = getattr(self.instance, field.attname) if field.many_to_one else None
            if current is not None and isinstance(choice, ModelChoiceField):
                shown = choice.queryset
                choice.queryset = shown.model._default_manager.filter(Q(pk__in=shown.values("pk")) | Q(pk=current))

    form_class.__init__ = __init__
    return form_class


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A filter on a related model that lists only the rows the user may see."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.related_model
        allowed = visible(related._default_manager.all(), request.user).values("pk")
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to={"pk__in": allowed})


class ScopedChoices:
    """Limits every foreign-key and many-to-many choice to the user's organisations."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return scoped(super().formfield_for_foreignkey(db_field, request, **kwargs), request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return scoped(super().formfield_for_manytomany(db_field, request, **kwargs), request.user)

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)


class OrganisationScopedAdmin(ScopedChoices, admin.ModelAdmin):
    """The base of every admin an organiser may open; the model declares ``organisation_path``."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        return keep_current_choices(super().get_form(request, obj, change, **kwargs))

    def get_list_filter(self, request):
        return [self.scoped_filter(entry) for entry in super().get_list_filter(request)]

    def scoped_filter(self, entry):
        if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
            return (entry, ScopedRelatedFieldListFilter)
        if isinstance(entry, tuple) and entry[1] is admin.RelatedFieldListFilter:
            return (entry[0], ScopedRelatedFieldListFilter)
        return entry

    def save_related(self, request, form, formsets, change):
        # The form offers only the user's own organisations' rows; rows of others that were
        # already linked (a co-organiser the user cannot see) are kept, not silently dropped.
        with keeping_hidden_links([form] if change else []):
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        with keeping_hidden_links(formset.initial_forms):
            super().save_formset(request, form, formset, change)


@contextmanager
def keeping_hidden_links(forms):
    """Many-to-many links of saved rows that the forms did not offer survive their saving."""
    hidden = []
    for form in forms:
        instance = form.instance
        if instance.pk is None:
            continue
        for field in instance._meta.many_to_many:
            choice = form.fields.get(field.name)
            if isinstance(choice, ModelChoiceField):
                rows = list(getattr(instance, field.name).exclude(pk__in=choice.queryset.values("pk")))
                hidden += [(instance, field.name, rows)] if rows else []
    yield
    for instance, name, rows in hidden:
        getattr(instance, name).add(*rows)


class OwnedSharedAdmin(OrganisationScopedAdmin):
    """Venues and speakers: an organiser sees their own and the shared ones, changes their own."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or owns(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or owns(request.user, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "owner" in form.base_fields and not is_platform_admin(request.user):
            form.base_fields["owner"].required = True
            form.base_fields["owner"].empty_label = None
        return form


class ScopedInline(ScopedChoices):
    """Inlines hang off an already-scoped parent; their rows and choices get the same rule,
    the hidden key of each row included (Django offers every row of the model there)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        user = request.user

        def add_fields(self, form, index):
            formset.add_fields(self, form, index)
            scoped(form.fields.get(self._pk_field.name), user)

        keep_current_choices(formset.form)
        return type(formset.__name__, (formset,), {"add_fields": add_fields})
