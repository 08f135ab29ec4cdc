from django.contrib import admin

from commissioning.audit.models import AuditEvent
from commissioning.offices.admin import OfficeScopedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(OfficeScopedAdmin):
    list_display = ["occurred_at", "actor", "office", "verb", "target_label"]
    list_filter = ["verb"]
    search_fields = ["target_label", "verb", "actor__email"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
