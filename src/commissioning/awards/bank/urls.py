from django.urls import path

from commissioning.awards.bank import views

STAFF = "staff/<slug:office_slug>/"
urlpatterns = [
    path(
        "organisations/<slug:ref>/bank-details/",
        views.organisation_bank_details,
        name="organisation_bank_details",
    ),
    path(f"{STAFF}bank-changes/", views.bank_changes, name="bank_changes"),
    path(f"{STAFF}bank-changes/<int:pk>/", views.bank_change, name="bank_change"),
    path(
        f"{STAFF}bank-changes/<int:pk>/verify/",
        views.bank_change_verify_view,
        name="bank_change_verify",
    ),
    path(
        f"{STAFF}bank-changes/<int:pk>/reject/",
        views.bank_change_reject_view,
        name="bank_change_reject",
    ),
    path(
        f"{STAFF}bank-changes/<int:pk>/numbers/",
        views.callback_number_add_view,
        name="callback_number_add",
    ),
]
