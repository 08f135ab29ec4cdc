"""Portfolio allocation; part of the assessment namespace (see assessment/urls.py)."""

from django.urls import path

from commissioning.assessment.allocation import views
from commissioning.assessment.panels.urls import ONE

urlpatterns = [
    path(ONE + "allocation/", views.allocation_view, name="allocation"),
    path(ONE + "allocation/<int:run_id>/", views.allocation_run_view, name="allocation_run"),
]
