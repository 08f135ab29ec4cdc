from django.urls import path

from commissioning.cycle.evidence import views

app_name = "evidence"
urlpatterns = [
    path("staff/<slug:office_slug>/evidence/", views.evidence_library, name="library"),
]
