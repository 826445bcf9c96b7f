"""Pages on the way into the admin: the second factor, its set-up, and the lockout answer."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device

from regiodag.accounts import second_factor
from regiodag.accounts.forms import CodeForm


def next_url(request):
    url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("admin:index")


def page(request, template, **context):
    # The admin's header and look, without its menus: they lead nowhere before this step.
    context.update(
        site_header=admin.site.site_header,
        site_title=admin.site.site_title,
        site_url=admin.site.site_url,
        has_permission=False,
        next=next_url(request),
    )
    return render(request, template, context)


@never_cache
@staff_member_required
def verify(request):
    if request.user.is_verified():
        return redirect(next_url(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('accounts:setup')}?{urlencode({'next': next_url(request)})}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = second_factor.device_for_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url(request))
        form.add_error(
            "code", _("Deze code klopt niet, of u probeerde het te snel na een foute code. Probeer het opnieuw.")
        )
    return page(request, "accounts/verify.html", form=form, title=_("Tweede stap"))


@never_cache
@staff_member_required
def setup(request):
    user = request.user
    if user_has_device(user):
        # A second device is added by the platform administrator removing the old one first.
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': next_url(request)})}")
    device = second_factor.pending_app(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = second_factor.confirm_app(user, device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return page(request, "accounts/recovery_codes.html", codes=codes, title=_("Uw herstelcodes"))
        form.add_error("code", _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw."))
    return page(
        request,
        "accounts/setup.html",
        form=form,
        title=_("Tweestapsverificatie instellen"),
        qr=second_factor.qr_data_uri(device),
        secret=second_factor.secret_for_typing(device),
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer while an account or address is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = page(request, "accounts/locked_out.html", minutes=minutes, title=_("Inloggen tijdelijk geblokkeerd"))
    response.status_code = 429
    return response
