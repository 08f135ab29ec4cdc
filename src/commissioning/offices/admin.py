"""Django admin for an office's set-up, scoped so that office administrators see and change only
their own office. Anything another office owns is a 404, as elsewhere in the product."""

from django.contrib import admin
from django.http import Http404

from commissioning.core import registry
from commissioning.offices.models import (
    Area,
    Budget,
    BudgetTopSlice,
    Fund,
    FundingSource,
    Office,
    OfficePolicy,
    Plan,
    Priority,
)
from commissioning.offices.services import setup_record_save


def admin_office_ids(user) -> set[int]:
    """The offices the user administers; the accounts app, which knows, answers."""
    return registry.administered_office_ids(user)


class OfficeScopedAdmin(admin.ModelAdmin):
    """Limits rows, choices and permissions to the offices the user administers.

    `office_path` is the lookup from the model to its Office ("office", "fund__office", ...).
    Records of public money are archived, never deleted, so nobody deletes through the admin.
    """

    office_path = "office"
    stamp_fields = ("created_at", "updated_at", "created_by", "updated_by")

    def get_readonly_fields(self, request, obj=None):
        names = {f.name for f in self.model._meta.get_fields()}
        stamps = [f for f in self.stamp_fields if f in names]
        return [*super().get_readonly_fields(request, obj), *stamps]

    def _scoped(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        office_filter = "pk__in" if self.office_path == "" else f"{self.office_path}__in"
        return queryset.filter(**{office_filter: admin_office_ids(request.user)})

    def get_queryset(self, request):
        return self._scoped(request, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser:
            model = db_field.related_model
            path = _office_path_of(model)
            if path is not None and field is not None:
                ids = admin_office_ids(request.user)
                field.queryset = field.queryset.filter(
                    **({"pk__in": ids} if path == "" else {f"{path}__in": ids})
                )
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        path = _office_path_of(db_field.related_model)
        if not request.user.is_superuser and path and field is not None:
            field.queryset = field.queryset.filter(
                **{f"{path}__in": admin_office_ids(request.user)}
            )
        return field

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(admin_office_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Saved through the set-up service, with its audit event; many-to-many choices too."""
        related = {
            field.name: form.cleaned_data[field.name]
            for field in obj._meta.many_to_many
            if field.name in form.cleaned_data
        }
        setup_record_save(record=obj, actor=request.user, fields=form.changed_data, related=related)

    def save_related(self, request, form, formsets, change):
        """Nothing more to save: `save_model` set the many-to-many choices, and every inline on
        a set-up page is read-only (each row is changed on its own page, through the service)."""


class ReadOnlyInline:
    """An inline that shows rows only. Each row is changed on its own admin page, where the
    change is recorded in the audit trail, so nothing is written here without one."""

    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The models whose choices in a foreign-key field are limited to the user's offices, with the
# lookup from each to its office. Apps above offices add theirs with `scope_choices_by_office`.
_OFFICE_PATHS = {
    Office: "",
    Plan: "office",
    Priority: "plan__office",
    Area: "office",
    FundingSource: "office",
    Fund: "office",
    Budget: "fund__office",
    OfficePolicy: "office",
}


def scope_choices_by_office(model, office_path: str) -> None:
    """Offer an office administrator only their offices' rows of `model` wherever the admin
    lets them choose one."""
    _OFFICE_PATHS[model] = office_path


def _office_path_of(model) -> str | None:
    return _OFFICE_PATHS.get(model)


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    office_path = ""
    list_display = ["name", "slug", "code", "kind", "force_area"]
    search_fields = ["name", "slug"]

    def has_add_permission(self, request):
        return request.user.is_superuser


class PriorityInline(ReadOnlyInline, admin.TabularInline):
    model = Priority
    fields = ["code", "kind", "title", "parent", "position", "selectable", "archived_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(OfficeScopedAdmin):
    list_display = ["title", "office", "starts_on", "ends_on", "is_current"]
    list_filter = ["is_current"]
    list_select_related = ["office"]
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(OfficeScopedAdmin):
    office_path = "plan__office"
    list_display = ["code", "title", "kind", "plan", "selectable"]
    list_filter = ["kind"]
    list_select_related = ["plan"]
    search_fields = ["code", "title"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent" and not request.user.is_superuser:
            kwargs["queryset"] = Priority.objects.filter(
                plan__office__in=admin_office_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Area)
class AreaAdmin(OfficeScopedAdmin):
    list_display = ["name", "kind", "ons_code", "population", "office"]
    list_filter = ["kind"]
    list_select_related = ["office"]
    search_fields = ["name", "ons_code"]


@admin.register(FundingSource)
class FundingSourceAdmin(OfficeScopedAdmin):
    list_display = ["name", "kind", "legal_basis", "office"]
    list_select_related = ["office"]


class BudgetInline(ReadOnlyInline, admin.TabularInline):
    model = Budget
    fields = ["financial_year", "allocation", "is_forecast", "notes"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Fund)
class FundAdmin(OfficeScopedAdmin):
    list_display = ["name", "code", "kind", "min_award", "max_award", "office"]
    list_filter = ["kind", "open_to_applications"]
    list_select_related = ["office"]
    search_fields = ["name", "code"]
    filter_horizontal = ["funding_sources"]
    inlines = [BudgetInline]


class TopSliceInline(ReadOnlyInline, admin.TabularInline):
    model = BudgetTopSlice
    fields = ["purpose", "amount", "share"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Budget)
class BudgetAdmin(OfficeScopedAdmin):
    office_path = "fund__office"
    list_display = ["fund", "financial_year", "allocation", "is_forecast"]
    list_filter = ["financial_year", "is_forecast"]
    list_select_related = ["fund", "fund__office"]
    inlines = [TopSliceInline]


@admin.register(BudgetTopSlice)
class BudgetTopSliceAdmin(OfficeScopedAdmin):
    office_path = "budget__fund__office"
    list_display = ["purpose", "budget", "amount", "share"]
    list_select_related = ["budget", "budget__fund"]


@admin.register(OfficePolicy)
class OfficePolicyAdmin(OfficeScopedAdmin):
    list_display = ["office", "pack_loaded_at"]
    list_select_related = ["office"]
    readonly_fields = ["pack_sha256", "pack_loaded_at"]

    def has_add_permission(self, request):
        return request.user.is_superuser
