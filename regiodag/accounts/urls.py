from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from regiodag.accounts import views

app_name = "accounts"
# regiodag.urls names the admin before it includes these.
ADMIN_LOOK = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

urlpatterns = [
    path("tweestaps/", views.verify, name="verify"),
    path("tweestaps/instellen/", views.setup, name="setup"),
    # The one-time link that create_organiser prints: Django's own password reset check.
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_set"), extra_context=ADMIN_LOOK
        ),
        name="set_password",
    ),
    path(
        "wachtwoord-ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_LOOK),
        name="password_set",
    ),
]
