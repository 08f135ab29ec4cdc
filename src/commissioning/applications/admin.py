from django.contrib import admin

from commissioning.applications.models import Round
from commissioning.offices.admin import OfficeScopedAdmin, scope_choices_by_office

scope_choices_by_office(Round, "office")


@admin.register(Round)
class RoundAdmin(OfficeScopedAdmin):
    """Read only: officers create, publish, extend and close rounds on the staff pages, through
    the round services and their audit events."""

    list_display = ["title", "fund", "opens_at", "closes_at", "office"]
    list_filter = ["fund__kind"]
    list_select_related = ["fund", "office"]
    search_fields = ["title", "slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
