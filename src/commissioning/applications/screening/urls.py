"""Included under staff/<office_slug>/applications/<reference>/screening/."""

from django.urls import path

from commissioning.applications.screening import views

app_name = "screening"
urlpatterns = [
    path("run/", views.screening_run_view, name="run"),
    path("conclude/", views.screening_conclude_view, name="conclude"),
    path("<slug:rule>/override/", views.screening_override_view, name="override"),
]
