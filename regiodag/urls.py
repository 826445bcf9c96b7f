import os

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Regiodag beheer")
admin.site.site_title = _("Regiodag beheer")
admin.site.index_title = _("Evenementen en aanmeldingen")

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("inchecken/", include("registrations.checkin_urls")),
    path("", include("registrations.urls")),
    path("", include("events.urls")),
]

# The benchmarks' baseline view; never part of a normal deployment.
if os.environ.get("REGIODAG_BENCH") == "1":
    urlpatterns.insert(0, path("bench/", include("bench.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
