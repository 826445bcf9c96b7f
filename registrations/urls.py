from django.urls import path, register_converter

from registrations import certificate_views, team_views, views
from registrations.converters import TokenConverter

register_converter(TokenConverter, "token")

app_name = "registrations"

urlpatterns = [
    path("evenement/<slug:slug>/aanmelden/", views.register, name="register"),
    path("evenement/<slug:slug>/aanmelden/verstuurd/", views.sent, name="sent"),
    path("evenement/<slug:slug>/driehoek-aanmelden/", team_views.register, name="register_team"),
    path("aanmelding/<token:token>/", views.manage, name="manage"),
    path("aanmelding/<token:token>/bevestiging/", views.confirmation, name="confirmation"),
    path("aanmelding/<token:token>/gegevens/", views.change_details, name="change_details"),
    path("aanmelding/<token:token>/workshops/", views.change_workshops, name="change_workshops"),
    path("aanmelding/<token:token>/afmelden/", views.cancel, name="cancel"),
    path("aanmelding/<token:token>/wissen/", views.erase, name="erase"),
    path("aanmelding/<token:token>/mijn-gegevens/", views.my_data, name="my_data"),
    path("aanmelding/<token:token>/materiaal/<int:material_id>/", views.material_file, name="material_file"),
    path("aanmelding/<token:token>/mail/<int:mail_id>/", views.mail_online, name="mail_online"),
    path(
        "aanmelding/<token:token>/bewijs/<int:participant_id>/",
        certificate_views.download,
        name="certificate_download",
    ),
    path("bewijs/<token:code>/", certificate_views.verify, name="certificate"),
]
