"""The admin shows people, roles and tokens; it changes none of them directly.

A person's sign-in (e-mail address, password) is theirs alone: nobody sets or resets it for
them here, superusers included. Staff join an office by accepting an invitation, and roles are
changed on the office's "Staff and roles" page; both go through the services and their audit
events. Tokens are revoked here through the same service as on the API tokens page."""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commissioning.accounts.models import ApiToken, OfficeInvitation, OfficeMembership, User
from commissioning.accounts.permissions import admin_office_ids
from commissioning.accounts.services import api_token_revoke
from commissioning.offices.admin import OfficeScopedAdmin


class ViewOnlyAdmin:
    """Rows can be listed and read, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ViewOnlyAdmin, admin.TabularInline):
    model = OfficeMembership
    fk_name = "user"
    fields = ["office", "role", "is_active"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(office__in=admin_office_ids(request.user))


@admin.register(User)
class UserAdmin(ViewOnlyAdmin, BaseUserAdmin):
    """Office administrators see the people who hold a role in their office; superusers see
    everyone. Nobody changes an account here: it belongs to its owner."""

    inlines = [MembershipInline]

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Personal details"), {"fields": ("full_name", "job_title")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = [
        "email",
        "full_name",
        "job_title",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(memberships__office__in=admin_office_ids(request.user)).distinct()

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(admin_office_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def user_change_password(self, request, id, form_url=""):
        raise Http404


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(ViewOnlyAdmin, OfficeScopedAdmin):
    list_display = ["user", "office", "role", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user", "office"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "office", "role", "is_active", "created_at", "created_by"]
    readonly_fields = fields


@admin.register(OfficeInvitation)
class OfficeInvitationAdmin(ViewOnlyAdmin, OfficeScopedAdmin):
    list_display = ["email", "office", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    list_select_related = ["office"]
    search_fields = ["email"]
    fields = [
        "email",
        "office",
        "role",
        "created_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "withdrawn_at",
    ]
    readonly_fields = fields


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_actions(self, request):
        # Actions need a change permission by default; revoking goes through the service.
        actions = super().get_actions(request)
        if request.user.is_superuser:
            actions["revoke"] = self.get_action("revoke")
        return actions

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )


# A person's other e-mail addresses and authenticators are part of their sign-in too: adding a
# verified address for someone would let a password reset go to it, and removing their
# authenticator would lower their guard. They are shown here, and changed by their owner only.
for model in (EmailAddress, Authenticator):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(EmailAddress)
class EmailAddressAdmin(ViewOnlyAdmin, BaseEmailAddressAdmin):
    actions = []
    readonly_fields = ["user", "email", "verified", "primary"]


@admin.register(Authenticator)
class AuthenticatorAdmin(ViewOnlyAdmin, BaseAuthenticatorAdmin):
    fields = ["user", "type", "created_at", "last_used_at"]  # never the secret
    readonly_fields = fields
