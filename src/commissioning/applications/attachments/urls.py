"""Supporting documents. Included at the site root:

path("", include("commissioning.applications.attachments.urls")),
"""

from django.urls import path

from commissioning.applications.attachments import views

app_name = "attachments"
urlpatterns = [
    # The applicant.
    path("applications/<str:public_id>/attachments/add/", views.add, name="add"),
    path(
        "applications/<str:public_id>/attachments/<str:attachment_id>/",
        views.download,
        name="download",
    ),
    path(
        "applications/<str:public_id>/attachments/<str:attachment_id>/remove/",
        views.remove,
        name="remove",
    ),
    # Staff.
    path(
        "staff/<slug:office_slug>/applications/<str:reference>/attachments/<str:attachment_id>/",
        views.staff_download,
        name="staff_download",
    ),
]
