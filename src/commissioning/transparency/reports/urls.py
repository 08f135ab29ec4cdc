from django.urls import path

from commissioning.transparency.reports import views

app_name = "reports"
STAFF = "staff/<slug:office_slug>/reports/"
urlpatterns = [
    path(STAFF, views.staff_index, name="staff_index"),
    path(f"{STAFF}<str:public_id>/download/", views.staff_download, name="staff_download"),
    path(f"{STAFF}<str:public_id>/again/", views.staff_retry, name="staff_retry"),
]
