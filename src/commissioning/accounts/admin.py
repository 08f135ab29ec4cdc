from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from commissioning.accounts.models import ApiToken, OfficeMembership, User
from commissioning.offices.admin import OfficeScopedAdmin, admin_office_ids
from commissioning.offices.models import Office


class MembershipInline(admin.TabularInline):
    model = OfficeMembership
    fk_name = "user"
    fields = ["office", "role", "is_active"]
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office" and not request.user.is_superuser:
            kwargs["queryset"] = Office.objects.filter(pk__in=admin_office_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(office__in=admin_office_ids(request.user))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Office administrators see the people who hold a role in their office, and change only
    those who work for no other office."""

    inlines = [MembershipInline]

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name", "job_title")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(memberships__office__in=admin_office_ids(request.user)).distinct()

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["last_login", "date_joined"]
        return ["is_staff", "is_superuser", "last_login", "date_joined"]

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(admin_office_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return self.has_module_permission(request)
        offices = set(obj.memberships.values_list("office_id", flat=True))
        return bool(offices) and offices <= admin_office_ids(request.user)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(OfficeScopedAdmin):
    list_display = ["user", "office", "role", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user", "office"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "token_hash", "last_used_at", "created_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
