from django.urls import path

from commissioning.transparency.history import views

app_name = "history"
STAFF = "staff/<slug:office_slug>/"
urlpatterns = [
    path(f"{STAFF}audit/", views.audit_log, name="log"),
    path(f"{STAFF}audit/log.csv", views.audit_log_csv, name="log_csv"),
    path(
        f"{STAFF}audit/records/<str:target_type>/<str:target_id>/",
        views.history_by_id,
        name="record_by_id",
    ),
    path(
        f"{STAFF}history/<slug:kind>/<path:reference>/",
        views.history_by_reference,
        name="record",
    ),
]
