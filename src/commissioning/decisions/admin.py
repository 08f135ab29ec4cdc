from django.contrib import admin

from commissioning.decisions.models import DecisionApplication, DecisionRecord, Letter, Signature
from commissioning.offices.admin import OfficeScopedAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionApplicationInline(ReadOnlyInline):
    model = DecisionApplication
    fields = ["application", "outcome", "amount", "reason"]
    readonly_fields = fields


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = ["role", "user", "signed_at"]
    readonly_fields = fields


@admin.register(DecisionRecord)
class DecisionRecordAdmin(OfficeScopedAdmin):
    """Read only: decision records change through the staff pages, which check state and
    signatures."""

    list_display = ["number", "title", "office", "status", "total", "signed_at"]
    list_filter = ["office", "status"]
    search_fields = ["number", "title"]
    inlines = [DecisionApplicationInline, SignatureInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(OfficeScopedAdmin):
    office_path = "decision__office"
    list_display = ["subject", "kind", "decision", "sent_to", "sent_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
