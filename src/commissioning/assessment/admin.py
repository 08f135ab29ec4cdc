"""Read-only views of assessment records for office administrators; every change goes through
the staff pages, which call the services."""

from django.contrib import admin

from commissioning.assessment.models import (
    AgreedRecommendation,
    AllocationRun,
    ConflictDeclaration,
    Panel,
    PanelMeeting,
)
from commissioning.offices.admin import OfficeScopedAdmin


class ReadOnlyAdmin(OfficeScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ["name", "office", "round", "meeting_date"]
    list_select_related = ["office", "round"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    office_path = "member__panel__office"
    list_display = ["member", "application", "has_conflict", "declared_at"]
    list_filter = ["has_conflict"]
    list_select_related = ["member__user", "application"]


@admin.register(PanelMeeting)
class PanelMeetingAdmin(ReadOnlyAdmin):
    office_path = "panel__office"
    list_display = ["panel", "held_on", "quorate"]


@admin.register(AgreedRecommendation)
class AgreedRecommendationAdmin(ReadOnlyAdmin):
    office_path = "panel__office"
    list_display = ["application", "panel", "outcome", "amount", "agreed_at"]
    list_select_related = ["application", "panel"]


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    office_path = "panel__office"
    list_display = ["panel", "created_at", "feasible", "adopted_at"]
