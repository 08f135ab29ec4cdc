from django.contrib import admin

from commissioning.applications.models import Round
from commissioning.offices.admin import OfficeScopedAdmin, scope_choices_by_office

scope_choices_by_office(Round, "office")


@admin.register(Round)
class RoundAdmin(OfficeScopedAdmin):
    """Office administrators open calls for their own office's funds."""

    list_display = ["title", "fund", "opens_at", "closes_at", "office"]
    list_filter = ["fund__kind"]
    list_select_related = ["fund", "office"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
