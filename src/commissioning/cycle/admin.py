from django.contrib import admin

from commissioning.cycle.models import ExistingProvision
from commissioning.offices.admin import OfficeScopedAdmin


@admin.register(ExistingProvision)
class ExistingProvisionAdmin(OfficeScopedAdmin):
    """The register of existing provision the duplication check compares applications with."""

    list_display = ["name", "provider", "funder", "ends_on", "office"]
    list_select_related = ["office"]
    search_fields = ["name", "provider", "description"]
    filter_horizontal = ["areas", "priorities"]
