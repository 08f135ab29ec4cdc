from django.urls import path

from commissioning.awards.payments import views

STAFF = "staff/<slug:office_slug>/payments/"
urlpatterns = [
    path(
        "organisations/<slug:ref>/payments/",
        views.organisation_payments,
        name="organisation_payments",
    ),
    path(STAFF, views.finance_home, name="finance"),
    path(f"{STAFF}instalments/<int:pk>/", views.instalment_detail, name="instalment"),
    path(
        f"{STAFF}instalments/<int:pk>/approve/",
        views.instalment_approve_view,
        name="instalment_approve",
    ),
    path(
        f"{STAFF}instalments/<int:pk>/withhold/",
        views.instalment_withhold_view,
        name="instalment_withhold",
    ),
    path(
        f"{STAFF}instalments/<int:pk>/resolve/",
        views.instalment_resolve_view,
        name="instalment_resolve",
    ),
    path(f"{STAFF}runs/", views.runs, name="payment_runs"),
    path(f"{STAFF}runs/<str:reference>/", views.run_detail, name="payment_run"),
    path(f"{STAFF}runs/<str:reference>/file.csv", views.run_file, name="payment_run_file"),
    path(f"{STAFF}runs/<str:reference>/confirm/", views.run_confirm, name="payment_run_confirm"),
    path(f"{STAFF}runs/<str:reference>/cancel/", views.run_cancel, name="payment_run_cancel"),
]
