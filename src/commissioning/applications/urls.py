from django.urls import path

from commissioning.applications import views

app_name = "applications"
urlpatterns = [
    # Public: open calls and the eligibility check.
    path("<slug:office_slug>/funding/", views.funding_list, name="funding_list"),
    path("<slug:office_slug>/funding/<slug:round_slug>/", views.round_detail, name="round"),
    path(
        "<slug:office_slug>/funding/<slug:round_slug>/apply/",
        views.application_start_view,
        name="start",
    ),
    # Applicants.
    path("applications/", views.my_applications, name="mine"),
    path("applications/<str:public_id>/", views.task_list, name="task_list"),
    path("applications/<str:public_id>/check/", views.check_answers, name="check"),
    path("applications/<str:public_id>/submitted/", views.receipt, name="receipt"),
    path("applications/<str:public_id>/pdf/", views.application_pdf, name="pdf"),
    path("applications/<str:public_id>/<slug:step>/", views.step_view, name="step"),
    # Staff.
    path("staff/<slug:office_slug>/applications/", views.staff_list, name="staff_list"),
    path(
        "staff/<slug:office_slug>/applications/<str:reference>/",
        views.staff_application,
        name="staff_application",
    ),
    path(
        "staff/<slug:office_slug>/applications/<str:reference>/answers/",
        views.staff_application_answers,
        name="staff_answers",
    ),
    path(
        "staff/<slug:office_slug>/applications/<str:reference>/pdf/",
        views.staff_application_pdf,
        name="staff_pdf",
    ),
]
