from django.urls import include, path

from commissioning.awards import views
from commissioning.awards.agreements.urls import urlpatterns as agreement_urls
from commissioning.awards.bank.urls import urlpatterns as bank_urls
from commissioning.awards.payments.urls import urlpatterns as payment_urls
from commissioning.awards.variations.urls import urlpatterns as variation_urls

app_name = "awards"
STAFF = "staff/<slug:office_slug>/"
urlpatterns = [
    path(f"{STAFF}awards/", views.staff_list, name="staff_list"),
    path(f"{STAFF}awards/<str:reference>/", views.staff_detail, name="staff_detail"),
    path(f"{STAFF}budgets/", views.budget_index, name="budgets"),
    path(f"{STAFF}budgets/<slug:fund_code>/<int:year>/", views.budget_detail, name="budget"),
    path(
        f"{STAFF}budgets/<slug:fund_code>/<int:year>/ledger.csv",
        views.budget_csv,
        name="budget_csv",
    ),
    path("", include("commissioning.awards.claims.urls")),
]
urlpatterns += variation_urls
urlpatterns += agreement_urls
urlpatterns += bank_urls + payment_urls
