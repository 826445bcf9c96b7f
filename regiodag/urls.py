from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Regiodag beheer")
admin.site.site_title = _("Regiodag beheer")
admin.site.index_title = _("Evenementen en aanmeldingen")


def favicon(request):
    # Pages name their icon; browsers still ask /favicon.ico where none is named (the admin).
    return redirect(static("img/favicon.svg"), permanent=True)


# A database that cannot be reached is a 503, told once per outage (regiodag.unavailable).
handler500 = "regiodag.unavailable.server_error"

urlpatterns = [
    path("favicon.ico", favicon),
    path("beheer/", include("regiodag.accounts.urls")),
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("inchecken/", include("registrations.checkin.urls")),
    path("", include("registrations.urls")),
    path("", include("events.urls")),
    path("", include("workshops.urls")),
]

# No /media/ URLs, not even with DEBUG: uploads are handed out by views that first check who
# may have them (regiodag.downloads), so the development server behaves as production does.
