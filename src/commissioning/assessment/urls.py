"""The assessment pages, under one namespace: panels (with members, declarations and
meetings), scoring and moderation, and portfolio allocation."""

from commissioning.assessment.allocation import urls as allocation
from commissioning.assessment.panels import urls as panels
from commissioning.assessment.scoring import urls as scoring

app_name = "assessment"
urlpatterns = [*panels.urlpatterns, *scoring.urlpatterns, *allocation.urlpatterns]
