from django.contrib import admin
from django.http import Http404

from commissioning.audit.models import AuditEvent
from commissioning.core import registry


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only: an office administrator sees their offices' events, a
    system administrator every event. Another office's event is a 404, as elsewhere."""

    list_display = ["occurred_at", "actor", "office", "verb", "target_label"]
    list_filter = ["verb"]
    search_fields = ["target_label", "verb", "actor__email"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "office"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(office__in=registry.administered_office_ids(request.user))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(registry.administered_office_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
