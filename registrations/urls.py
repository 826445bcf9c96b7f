from django.urls import path, register_converter

from registrations import certificate_views, health_views, views
from registrations.converters import TokenConverter
from registrations.driehoek import host_offers
from registrations.driehoek import views as driehoek_views
from registrations.invitations import views as invitation_views

register_converter(TokenConverter, "token")

app_name = "registrations"

urlpatterns = [
    path("evenement/<slug:slug>/aanmelden/", views.register, name="register"),
    path("evenement/<slug:slug>/aanmelden/verstuurd/", views.sent, name="sent"),
    path("evenement/<slug:slug>/driehoek-aanmelden/", driehoek_views.register, name="register_team"),
    path("reeks/<slug:slug>/locatie-aanbieden/", host_offers.host_offer, name="host_offer"),
    path("aanmelding/<token:token>/", views.manage, name="manage"),
    path("aanmelding/<token:token>/bevestiging/", views.confirmation, name="confirmation"),
    path("aanmelding/<token:token>/gegevens/", views.change_details, name="change_details"),
    path("aanmelding/<token:token>/workshops/", views.change_workshops, name="change_workshops"),
    path("aanmelding/<token:token>/afmelden/", views.cancel, name="cancel"),
    path("aanmelding/<token:token>/wissen/", views.erase, name="erase"),
    path("aanmelding/<token:token>/mijn-gegevens/", views.my_data, name="my_data"),
    path("aanmelding/<token:token>/materiaal/<int:material_id>/", views.material_file, name="material_file"),
    path("aanmelding/<token:token>/mail/<int:mail_id>/", views.mail_online, name="mail_online"),
    path("uitnodiging/<token:token>/", invitation_views.online, name="invitation_online"),
    path("uitnodiging/<token:token>/deelnemen/", invitation_views.take_part, name="invitation_take_part"),
    path("contactpersoon/<token:token>/gegevens/", invitation_views.details, name="contact_details"),
    path("contactpersoon/<token:token>/afmelden/", invitation_views.unsubscribe, name="contact_unsubscribe"),
    path("contactpersoon/<token:token>/afmelden/een-klik/", invitation_views.one_click, name="contact_one_click"),
    path("health/", health_views.full, name="health"),
    path("health/live/", health_views.live, name="health_live"),
    path(
        "aanmelding/<token:token>/bewijs/<int:participant_id>/",
        certificate_views.download,
        name="certificate_download",
    ),
    path("bewijs/<token:code>/", certificate_views.verify, name="certificate"),
]
