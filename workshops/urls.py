from django.urls import path

from workshops import views

app_name = "workshops"

urlpatterns = [
    path("materiaal/<int:material_id>/<str:filename>", views.material_file, name="material_file"),
]
