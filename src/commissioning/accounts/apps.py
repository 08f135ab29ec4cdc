from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "commissioning.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from commissioning.accounts import demo, permissions
        from commissioning.accounts.mfa import record_mfa_on_activation
        from commissioning.core import registry

        authenticator_added.connect(record_mfa_on_activation, dispatch_uid="record_mfa_activation")
        # Who administers which office, for the admin pages of the apps below accounts.
        registry.administered_office_ids.provide(permissions.admin_office_ids)
        registry.is_office_staff.provide(permissions.is_staff_member)
        registry.demo_steps.register(self.label, demo.seed)
