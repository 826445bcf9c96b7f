from django.urls import path

from registrations.checkin import views

app_name = "checkin"

urlpatterns = [
    path("", views.checkin_index, name="index"),
    path("<int:event_id>/", views.checkin_event, name="event"),
    path("<int:event_id>/scan/", views.checkin_scan, name="scan"),
    path("<int:event_id>/deelnemer/<int:participant_id>/", views.checkin_participant, name="participant"),
    path("<int:event_id>/telling/", views.checkin_count, name="count"),
]
