"""Included at staff/<office_slug>/organisations/<org_ref>/due-diligence/."""

from django.urls import path

from commissioning.organisations.due_diligence import views

app_name = "due_diligence"
urlpatterns = [
    path("", views.due_diligence_page, name="page"),
]
