from django.contrib import admin

from commissioning.organisations.models import (
    Invitation,
    Organisation,
    OrganisationDocument,
    OrganisationMember,
    PolicyDocument,
)


class SuperuserOnly:
    """Organisations are shared across offices; only system administrators see them here, and
    only to read: an organisation, its members and its documents change on the organisation's
    own pages, through the services and their audit events."""

    def has_module_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(SuperuserOnly, admin.TabularInline):
    """Records made through the product's own pages (uploads are checked there), shown here."""

    extra = 0
    can_delete = False


class OrganisationMemberInline(ReadOnlyInline):
    """Members join by accepting an invitation and leave through `member_remove`."""

    model = OrganisationMember
    fields = ["user", "role", "ref"]
    readonly_fields = fields


class PolicyDocumentInline(ReadOnlyInline):
    model = PolicyDocument
    fields = ["kind", "title", "adopted_on", "review_due_on", "filename", "size", "created_at"]
    readonly_fields = fields


class OrganisationDocumentInline(ReadOnlyInline):
    model = OrganisationDocument
    fields = ["kind", "title", "period_end", "filename", "size", "created_at"]
    readonly_fields = fields


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fk_name = "organisation"
    fields = ["email", "role", "created_by", "expires_at", "accepted_at", "withdrawn_at"]
    readonly_fields = fields


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "applicant_type", "org_id", "ref"]
    search_fields = ["name", "org_id", "charity_number", "company_number", "ref"]
    readonly_fields = ["ref"]
    inlines = [
        OrganisationMemberInline,
        PolicyDocumentInline,
        OrganisationDocumentInline,
        InvitationInline,
    ]
    exclude = ["created_by", "updated_by"]
