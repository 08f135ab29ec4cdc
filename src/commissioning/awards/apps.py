from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "commissioning.awards"
    label = "awards"
    verbose_name = _("Awards and the budget ledger")

    def ready(self):
        # Lower apps hear from this one only through what it registers here.
        from commissioning.awards import demo, permissions  # noqa: F401
        from commissioning.awards.claims import demo as claims_demo
        from commissioning.awards.claims import permissions as claim_permissions  # noqa: F401
        from commissioning.awards.claims.hooks import on_claim_approved
        from commissioning.awards.commissioning import project_awards, project_has_award
        from commissioning.awards.payments.services import instalment_for_approved_claim
        from commissioning.awards.services import (
            awards_from_decision,
            awards_search_text_refresh,
            ledger_sync_office,
        )
        from commissioning.awards.variations.views import VARIATION_DECISIONS
        from commissioning.core import registry
        from commissioning.cycle import hooks as cycle_hooks
        from commissioning.decisions.hooks import on_decision_signed, subject_kind_register
        from commissioning.offices.packs import on_budgets_loaded
        from commissioning.organisations.hooks import on_organisation_updated

        on_decision_signed(awards_from_decision)
        subject_kind_register(VARIATION_DECISIONS)
        on_claim_approved(instalment_for_approved_claim)
        on_budgets_loaded(ledger_sync_office)
        # The public register searches awards by their organisation's name as it is now.
        on_organisation_updated(awards_search_text_refresh)
        # A commissioning project (cycle) links its awards; they evidence its award decision.
        cycle_hooks.project_link_provider(project_awards)
        cycle_hooks.step_evidence_register("award_decision", project_has_award)
        registry.demo_steps.register(self.label, demo.seed)
        registry.staff_home_panels.register(self.label, "awards/staff/_home_panel.html")
        registry.organisation_page_sections.register(
            self.label, "awards/organisation/_organisation_section.html"
        )
        registry.demo_steps.register(self.label, claims_demo.seed)
        registry.staff_home_panels.register(self.label, "awards/claims/staff/_home_panel.html")
