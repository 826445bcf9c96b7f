from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("eerder/", views.catalogue, {"past": True}, name="past"),
    path("reeks/<slug:slug>/", views.series_detail, name="series"),
    path("evenement/<slug:slug>/", views.event_detail, name="detail"),
    path("evenement/<slug:slug>/agenda.ics", views.event_ics, name="ics"),
    path("privacy/", views.privacy_statement, name="privacy"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
]
