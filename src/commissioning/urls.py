from django.contrib import admin
from django.urls import include, path

from commissioning.accounts.views import admin_login
from commissioning.api.api import api
from commissioning.api.views import api_reference
from commissioning.core.views import healthz, readyz

handler404 = "commissioning.core.views.error_404"
handler500 = "commissioning.core.views.error_500"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api_reference, name="api_reference"),
    path("api/v1/", api.urls),
    path("staff/", include("commissioning.accounts.urls")),
    path("", include("commissioning.core.urls")),
    path("", include("commissioning.applications.endorsements.urls")),
    path("", include("commissioning.applications.clarifications.urls")),
    path("", include("commissioning.applications.attachments.urls")),
    path(
        "staff/<slug:office_slug>/applications/<str:reference>/screening/",
        include("commissioning.applications.screening.urls"),
    ),
    path("staff/<slug:office_slug>/rounds/", include("commissioning.applications.rounds.urls")),
    path(
        "staff/<slug:office_slug>/organisations/<str:org_ref>/due-diligence/",
        include("commissioning.organisations.due_diligence.urls"),
    ),
    path("", include("commissioning.cycle.urls")),
    path("", include("commissioning.assessment.urls")),
    path("", include("commissioning.decisions.urls")),
    path("", include("commissioning.awards.urls")),
    path("", include("commissioning.cycle.evidence.urls")),
    path("", include("commissioning.monitoring.urls")),
    path("", include("commissioning.procurement.urls")),
    path("", include("commissioning.transparency.urls")),
    path("", include("commissioning.transparency.dashboards.urls")),
    path("", include("commissioning.transparency.reports.urls")),
    path("", include("commissioning.transparency.history.urls")),
    path("", include("commissioning.applications.urls")),
    path("organisations/", include("commissioning.organisations.urls")),
    path("", include("commissioning.offices.urls")),
]
