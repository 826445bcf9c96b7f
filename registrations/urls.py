from django.urls import path

from registrations import team_views, views

app_name = "registrations"

urlpatterns = [
    path("evenement/<slug:slug>/aanmelden/", views.register, name="register"),
    path("evenement/<slug:slug>/aanmelden/verstuurd/", views.sent, name="sent"),
    path("evenement/<slug:slug>/driehoek-aanmelden/", team_views.register, name="register_team"),
    path("aanmelding/<str:token>/", views.manage, name="manage"),
    path("aanmelding/<str:token>/bevestiging/", views.confirmation, name="confirmation"),
    path("aanmelding/<str:token>/gegevens/", views.change_details, name="change_details"),
    path("aanmelding/<str:token>/workshops/", views.change_workshops, name="change_workshops"),
    path("aanmelding/<str:token>/afmelden/", views.cancel, name="cancel"),
    path("aanmelding/<str:token>/materiaal/<int:material_id>/", views.material_file, name="material_file"),
    path("aanmelding/<str:token>/mail/<int:mail_id>/", views.mail_online, name="mail_online"),
]
