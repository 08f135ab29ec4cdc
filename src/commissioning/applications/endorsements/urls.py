"""Endorsement pages. Included at the site root:

path("", include("commissioning.applications.endorsements.urls")),
"""

from django.urls import path

from commissioning.applications.endorsements import views

app_name = "endorsements"
urlpatterns = [
    # The endorser, with no account: the signed link from the e-mail.
    path("endorse/<str:token>/", views.respond, name="respond"),
    # The applicant.
    path("applications/<str:public_id>/endorsements/add/", views.add, name="add"),
    path(
        "applications/<str:public_id>/endorsements/<slug:kind>/remove/",
        views.remove,
        name="remove",
    ),
    path(
        "applications/<str:public_id>/endorsements/<slug:kind>/request/",
        views.send_request,
        name="request",
    ),
    # Officers who screen the application.
    path(
        "staff/<slug:office_slug>/applications/<str:reference>/endorsements/<slug:kind>/request/",
        views.staff_send_request,
        name="staff_request",
    ),
]
