from django.urls import path

from registrations import checkin_views

app_name = "checkin"

urlpatterns = [
    path("", checkin_views.checkin_index, name="index"),
    path("<int:event_id>/", checkin_views.checkin_event, name="event"),
    path("<int:event_id>/scan/", checkin_views.checkin_scan, name="scan"),
    path("<int:event_id>/deelnemer/<int:participant_id>/", checkin_views.checkin_participant, name="participant"),
    path("<int:event_id>/telling/", checkin_views.checkin_count, name="count"),
]
