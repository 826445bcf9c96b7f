"""The organisation boundary over every registered admin, walked page by page.

Two organisations each have a bit of everything (events.tests.admin_world); an organiser of
the first opens, for every ModelAdmin in ``admin.site._registry``: the change list (with its
filters and a search), the add form and the change form of their own row (every choice,
inlines included), every autocomplete, the change, history and delete pages of the other
organisation's rows by id, every custom URL of ``get_urls`` with their own and the other's
ids, and every action on the other's rows. Nothing of the other organisation may show, be
offered or change. A newly registered admin fails here until it is organisation-scoped or
declared platform-only in ``events.scoping.PLATFORM_ONLY``.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.admin import RelatedFieldListFilter
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from events.models import Event
from events.permissions import ensure_organiser_group
from events.scoping import PLATFORM_ONLY, OrganisationScopedAdmin, ScopedInline, organisation_path
from events.tests.admin_world import OURS, THEIRS, build_world, snapshot
from registrations.mails import actions as mail_actions
from workshops.models import Workshop

ADMINS = {model._meta.label_lower: (model, model_admin) for model, model_admin in admin.site._registry.items()}
STANDARD_VIEWS = ("_changelist", "_add", "_history", "_delete", "_change")
REFUSED = {302, 403, 404}


@pytest.fixture
def worlds(organisation, other_organisation, organiser, other_organiser, media_root):
    ours = build_world(organisation, OURS, "Nijmegen")
    theirs = build_world(other_organisation, THEIRS, "Zutphen")
    ours[get_user_model()] = [organiser]
    theirs[get_user_model()] = [other_organiser]
    return ours, theirs


def rows(world, model):
    return world.get(model) or world.get(model._meta.concrete_model) or []


def ids(world, model):
    return [row.pk for row in rows(world, model)]


def text_of(response):
    if response.streaming:  # an uploaded file, handed out as it is
        return b"".join(response.streaming_content).decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode(errors="replace")


class Walk:
    """Opens admin pages as one organiser and checks each for the other organisation's data."""

    def __init__(self, client, theirs):
        self.client = client
        self.theirs = theirs
        self.pages = []

    def open(self, method, url, expect, data=None):
        response = getattr(self.client, method)(url, data or {})
        action = f" action={data['action']}" if data and "action" in data else ""
        self.pages.append(f"{method.upper()} {url}{action} → {response.status_code}")
        assert response.status_code in expect, f"{method.upper()} {url}: {response.status_code}, wanted {expect}"
        if method == "get" and response.status_code == 302:
            assert not response.url.startswith(url), f"{url} redirects to itself: {response.url}"
        assert THEIRS.lower() not in text_of(response).lower(), f"{url} shows the other organisation's data"
        return response

    def choices(self, response, url):
        """No field of the form or of its inlines offers a row of the other organisation."""
        forms = [response.context["adminform"].form]
        for inline in response.context["inline_admin_formsets"]:
            assert isinstance(inline.opts, ScopedInline), f"{url}: inline {type(inline.opts).__name__} is not scoped"
            assert organisation_path(inline.opts.model), f"{url}: {inline.opts.model} has no organisation_path"
            forms += [inline.formset.empty_form, *inline.formset.forms]
        checked = 0
        for form in forms:
            for name, field in form.fields.items():
                queryset = getattr(field, "queryset", None)
                if queryset is None:
                    continue
                checked += 1
                leaked = list(queryset.filter(pk__in=ids(self.theirs, queryset.model)))
                assert not leaked, f"{url}: field {name} offers {leaked}"
        return checked


@pytest.mark.parametrize("label", sorted(ADMINS))
def test_every_admin_keeps_to_the_organisers_organisations(label, client, organiser, worlds):
    model, model_admin = ADMINS[label]
    ours, theirs = worlds
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    client.force_login(organiser)
    walk = Walk(client, theirs)
    if label in PLATFORM_ONLY:
        group = ensure_organiser_group()
        assert not group.permissions.filter(content_type__app_label=opts.app_label, content_type__model=opts.model_name)
        walk.open("get", reverse(f"{name}_changelist"), {403})
        walk.open("get", reverse(f"{name}_add"), {403})
        print("\n".join(walk.pages))
        return
    assert isinstance(model_admin, OrganisationScopedAdmin), f"{label}: not organisation-scoped nor platform-only"
    assert organisation_path(model), f"{label}: the model declares no organisation_path"
    assert rows(ours, model) and rows(theirs, model), f"{label}: the test world has no rows of it; add them"

    # The change list, its filters and a search for the other organisation's texts.
    changelist = reverse(f"{name}_changelist")
    response = walk.open("get", changelist, {200})
    shown = response.context["cl"].queryset
    assert not shown.filter(pk__in=ids(theirs, model)).exists()
    assert shown.filter(pk__in=ids(ours, model)).exists(), f"{label}: the organiser does not see their own rows"
    for spec in response.context["cl"].filter_specs:
        if isinstance(spec, RelatedFieldListFilter):
            offered = {str(pk) for pk, _title in spec.lookup_choices}
            assert not offered & {str(pk) for pk in ids(theirs, spec.field.related_model)}, spec.title
    # Part of the marker, so that the search box repeating it does not count as a leak.
    walk.open("get", f"{changelist}?q={THEIRS[2:-1]}", {200})
    request = response.wsgi_request

    # Forms: every choice of the add form and of the change form of an own row.
    if model_admin.has_add_permission(request):
        add = reverse(f"{name}_add")
        walk.choices(walk.open("get", add, {200}), add)
    own = rows(ours, model)[0]
    change = reverse(f"{name}_change", args=[own.pk])
    walk.choices(walk.open("get", change, {200}), change)
    for source in [model_admin, *model_admin.get_inline_instances(request, own)]:
        for field_name in source.get_autocomplete_fields(request):
            source_opts = source.model._meta
            query = f"?app_label={source_opts.app_label}&model_name={source_opts.model_name}"
            query += f"&field_name={field_name}&term="
            found = walk.open("get", reverse("admin:autocomplete") + query, {200}).json()["results"]
            remote = source_opts.get_field(field_name).related_model
            assert not {int(row["id"]) for row in found} & set(ids(theirs, remote)), field_name

    # The other organisation's rows by id: never opened, never deleted.
    for pk in ids(theirs, model)[:2]:
        for view in ("change", "history", "delete"):
            walk.open("get", reverse(f"{name}_{view}", args=[pk]), REFUSED)
        walk.open("post", reverse(f"{name}_delete", args=[pk]), REFUSED, {"post": "yes"})
        assert model._base_manager.filter(pk=pk).exists()

    # Custom pages of get_urls, with the other's ids refused and the own ones served.
    for pattern in model_admin.get_urls():
        if not pattern.name or pattern.name.endswith(STANDARD_VIEWS):
            continue
        walk_custom_page(walk, pattern, model, ours, theirs)

    # Actions on the other organisation's rows change nothing and hand out nothing.
    before = snapshot(theirs)
    for action in model_admin.get_actions(request):
        data = {"action": action, "_selected_action": ids(theirs, model), "post": "yes", "index": "0"}
        walk.open("post", changelist, {200, 302}, data)
    assert snapshot(theirs) == before
    print("\n".join(walk.pages))


# What each parameter of a custom admin URL names; a new parameter must be added here.
PARAMETERS = {
    "object_id": lambda pattern, model: model,
    "pk": lambda pattern, model: pattern.default_args["model"],
    "event_id": lambda pattern, model: Event,
    "workshop_id": lambda pattern, model: Workshop,
}


def walk_custom_page(walk, pattern, model, ours, theirs):
    converters = dict(pattern.pattern.converters)
    kinds = mail_actions.mail_kinds() if converters.pop("kind", None) else [None]
    unknown = set(converters) - set(PARAMETERS)
    assert not unknown, f"{pattern.name}: teach this test what {unknown} names"
    if not converters:
        # A page for no object; a POST-only one (the contact import's confirmation) answers
        # a GET with 405, and its own tests post to it (test_invitation_admin).
        walk.open("get", reverse(f"admin:{pattern.name}"), {200, 405})
        return
    (parameter,) = converters
    target = PARAMETERS[parameter](pattern, model)
    served = 0
    for kind in kinds:
        extra = {"kind": kind} if kind else {}
        for pk in ids(theirs, target)[:2]:
            walk.open("get", reverse(f"admin:{pattern.name}", kwargs={parameter: pk, **extra}), REFUSED)
        own = reverse(f"admin:{pattern.name}", kwargs={parameter: ids(ours, target)[0], **extra})
        served += walk.open("get", own, {200, 404}).status_code == 200
    assert served, f"{pattern.name}: not even the organiser's own row is served"


def test_every_inline_of_every_admin_is_scoped():
    for label, (_model, model_admin) in ADMINS.items():
        if label in PLATFORM_ONLY:
            continue
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedInline), f"{label}: {inline.__name__}"
            assert organisation_path(inline.model), f"{label}: {inline.model} has no organisation_path"


def test_a_platform_only_admin_gives_organisers_no_permission(db):
    group = ensure_organiser_group()
    for label in PLATFORM_ONLY:
        app_label, model_name = label.split(".")
        granted = Permission.objects.filter(content_type__app_label=app_label, content_type__model=model_name)
        assert not group.permissions.filter(pk__in=granted).exists(), label


def test_the_platform_administrator_sees_both_organisations(admin_client, worlds):
    html = admin_client.get(reverse("admin:workshops_round_changelist")).content.decode()
    assert THEIRS in html
    assert OURS in html
