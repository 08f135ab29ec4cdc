"""Procurement in the admin: read-only. Exercises move through their services and the
decisions signed on them, contracts are made by the award's last signature and commit the
ledger, pooled budgets commit the office's share through the ledger: none of that may be
written round its service and audit event, so the admin shows and never changes."""

from django.contrib import admin

from commissioning.awards.admin import ReadOnlyAdmin
from commissioning.offices.admin import ReadOnlyInline
from commissioning.procurement.models import (
    Bid,
    BidConflict,
    BidScore,
    Contract,
    ContractCommitment,
    Contribution,
    Evaluator,
    ExerciseStatusChange,
    ExtensionOption,
    Kpi,
    PooledBudget,
    ProcurementExercise,
)


class BidInline(ReadOnlyInline, admin.TabularInline):
    model = Bid
    fields = ["supplier", "price", "received_on", "local_supplier", "filename"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


class EvaluatorInline(ReadOnlyInline, admin.TabularInline):
    model = Evaluator
    fields = ["user", "standing", "service_user"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


class ExerciseStatusChangeInline(ReadOnlyInline, admin.TabularInline):
    model = ExerciseStatusChange
    fields = ["old", "new", "actor", "at", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(ProcurementExercise)
class ProcurementExerciseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "route", "estimated_value", "status", "project"]
    list_filter = ["office", "status", "route"]
    search_fields = ["reference", "title"]
    list_select_related = ["office", "project"]
    inlines = [BidInline, EvaluatorInline, ExerciseStatusChangeInline]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    office_path = "exercise__office"
    list_display = ["exercise", "supplier", "price", "received_on", "local_supplier"]
    search_fields = ["exercise__reference", "supplier__name"]
    list_select_related = ["exercise", "supplier"]


class BidConflictInline(ReadOnlyInline, admin.TabularInline):
    model = BidConflict
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class BidScoreInline(ReadOnlyInline, admin.TabularInline):
    model = BidScore
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(Evaluator)
class EvaluatorAdmin(ReadOnlyAdmin):
    office_path = "exercise__office"
    list_display = ["exercise", "user", "standing", "service_user"]
    search_fields = ["exercise__reference", "user__email"]
    list_select_related = ["exercise", "user"]
    inlines = [BidConflictInline, BidScoreInline]


class ContributionInline(ReadOnlyInline, admin.TabularInline):
    model = Contribution
    fields = ["financial_year", "from_office", "fund", "partner", "amount"]
    readonly_fields = fields
    extra = 0


@admin.register(PooledBudget)
class PooledBudgetAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "lead_commissioner", "office"]
    list_filter = ["office"]
    search_fields = ["reference", "title", "lead_commissioner"]
    list_select_related = ["office"]
    inlines = [ContributionInline]


def _all_fields_inline(child):
    class Inline(ReadOnlyInline, admin.TabularInline):
        model = child
        extra = 0

        def get_readonly_fields(self, request, obj=None):
            return [f.name for f in self.model._meta.fields]

    Inline.__name__ = f"{child.__name__}Inline"
    return Inline


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "provider", "value", "starts_on", "ends_on", "status"]
    list_filter = ["office", "status", "award_form"]
    search_fields = ["reference", "title", "provider__name"]
    list_select_related = ["provider"]
    inlines = [
        _all_fields_inline(ContractCommitment),
        _all_fields_inline(ExtensionOption),
        _all_fields_inline(Kpi),
    ]
