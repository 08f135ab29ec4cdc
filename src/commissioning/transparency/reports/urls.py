from django.urls import path

from commissioning.transparency.reports import views

app_name = "reports"
urlpatterns = [
    path("staff/<slug:office_slug>/reports/", views.staff_index, name="staff_index"),
    path(
        "staff/<slug:office_slug>/reports/<slug:kind>/<int:year>.<slug:fmt>",
        views.staff_download,
        name="staff_download",
    ),
]
