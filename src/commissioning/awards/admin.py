"""Awards and ledger entries in the admin: read-only. Awards are made by signing decisions and
the ledger changes only through its services, so the admin is no side door."""

from django.contrib import admin

from commissioning.awards.models import Agreement, Award, AwardStatusChange, LedgerEntry
from commissioning.offices.admin import OfficeScopedAdmin


class ReadOnlyAdmin(OfficeScopedAdmin):
    """Only the rows of the offices the user administers, and none of them writable."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = AwardStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("old", "new", "actor", "at", "note")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("reference", "organisation", "fund", "amount", "status", "made_at")
    list_filter = ("office", "status", "fund")
    search_fields = ("reference", "organisation__name", "title")
    list_select_related = ("organisation", "fund")
    inlines = [StatusChangeInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    office_path = "budget__fund__office"
    list_display = ("at", "budget", "kind", "amount", "award", "actor", "reason")
    list_filter = ("kind", "budget__fund__office", "budget__financial_year")
    search_fields = ("award__reference", "reason")
    list_select_related = ("budget", "budget__fund", "award", "actor")


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    """Grant agreements, read-only: they change only through the agreement services."""

    office_path = "award__office"
    list_display = (
        "award",
        "version",
        "status",
        "sent_at",
        "provider_signed_at",
        "countersigned_at",
    )
    list_filter = ("status", "award__office")
    search_fields = ("award__reference", "award__organisation__name")
    list_select_related = ("award",)
    exclude = ("document_pdf", "document_html", "content")
