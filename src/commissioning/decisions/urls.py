from django.urls import path

from commissioning.decisions import views

app_name = "decisions"
STAFF = "staff/<slug:office_slug>/decisions/"
urlpatterns = [
    # Staff.
    path(STAFF, views.staff_list, name="staff_list"),
    path(f"{STAFF}new/", views.staff_create, name="staff_create"),
    path(f"{STAFF}<slug:slug>/", views.staff_detail, name="staff_detail"),
    path(f"{STAFF}<slug:slug>/edit/", views.staff_edit, name="staff_edit"),
    path(f"{STAFF}<slug:slug>/submit/", views.staff_submit, name="staff_submit"),
    path(f"{STAFF}<slug:slug>/withdraw/", views.staff_withdraw, name="staff_withdraw"),
    path(f"{STAFF}<slug:slug>/sign/", views.staff_sign, name="staff_sign"),
    path(f"{STAFF}<slug:slug>/publish/", views.staff_publish, name="staff_publish"),
    path(f"{STAFF}<slug:slug>/pdf/", views.staff_pdf, name="staff_pdf"),
    # Letters: the office's staff and the applicant organisation's members.
    path("letters/<str:public_id>/", views.letter_detail, name="letter"),
    path("letters/<str:public_id>/pdf/", views.letter_pdf_view, name="letter_pdf"),
    # Public.
    path("<slug:office_slug>/decisions/", views.public_list, name="public_list"),
    path(
        "<slug:office_slug>/decisions/panel-report/",
        views.panel_report_view,
        name="panel_report",
    ),
    path("<slug:office_slug>/decisions/<slug:slug>/", views.public_detail, name="public_detail"),
    path("<slug:office_slug>/decisions/<slug:slug>/pdf/", views.public_pdf, name="public_pdf"),
]
