from django.urls import path

from commissioning.transparency.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("staff/<slug:office_slug>/dashboard/", views.staff_dashboard, name="staff"),
    path(
        "staff/<slug:office_slug>/dashboard/<slug:chart>.csv",
        views.staff_chart_csv,
        name="staff_csv",
    ),
    path("<slug:office_slug>/dashboard/", views.public_dashboard, name="public"),
    path(
        "<slug:office_slug>/dashboard/<slug:chart>.csv",
        views.public_chart_csv,
        name="public_csv",
    ),
]
