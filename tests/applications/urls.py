"""The site's URLs with the endorsement, clarification and attachment pages placed first, as
the site root must include them, so these tests run whether or not the site has them yet."""

from django.urls import URLResolver, include, path

from commissioning.urls import handler404, handler500  # noqa: F401
from commissioning.urls import urlpatterns as site_urlpatterns

MODULES = {
    "endorsements": "commissioning.applications.endorsements.urls",
    "clarifications": "commissioning.applications.clarifications.urls",
    "attachments": "commissioning.applications.attachments.urls",
}

urlpatterns = [path("", include(module)) for module in MODULES.values()] + [
    pattern
    for pattern in site_urlpatterns
    if not (isinstance(pattern, URLResolver) and pattern.namespace in MODULES)
]
