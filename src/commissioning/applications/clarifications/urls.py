"""Clarification questions and withdrawal. Included at the site root, before the applications
module (whose `applications/<public_id>/<step>/` would otherwise take `withdraw/`):

    path("", include("commissioning.applications.clarifications.urls")),
"""

from django.urls import path

from commissioning.applications.clarifications import views

app_name = "clarifications"
urlpatterns = [
    # The applicant.
    path(
        "applications/<str:public_id>/questions/<int:number>/answer/",
        views.answer,
        name="answer",
    ),
    path("applications/<str:public_id>/withdraw/", views.withdraw, name="withdraw"),
    # Staff.
    path(
        "staff/<slug:office_slug>/applications/<str:reference>/questions/",
        views.staff_thread,
        name="staff_thread",
    ),
]
