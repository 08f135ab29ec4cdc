from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "commissioning.awards"
    label = "awards"
    verbose_name = _("Awards and the budget ledger")

    def ready(self):
        # Lower apps hear from this one only through what it registers here.
        from commissioning.accounts.selectors import register_staff_home_link
        from commissioning.awards import permissions  # noqa: F401
        from commissioning.awards.services import awards_from_decision, ledger_sync_office
        from commissioning.decisions.hooks import on_decision_signed
        from commissioning.offices.packs import on_budgets_loaded

        on_decision_signed(awards_from_decision)
        on_budgets_loaded(ledger_sync_office)
        register_staff_home_link(
            url_name="awards:staff_list", label=_("Awards"), roles=permissions.AWARD_READERS
        )
        register_staff_home_link(
            url_name="awards:budgets",
            label=_("Budgets and the ledger"),
            roles=permissions.AWARD_READERS,
        )
