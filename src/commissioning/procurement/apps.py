from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "commissioning.procurement"
    label = "procurement"
    verbose_name = _("Procurement and contracts")

    def ready(self):
        # Lower apps hear from this one only through what it registers here.
        from commissioning.core import registry
        from commissioning.cycle import hooks as cycle_hooks
        from commissioning.decisions.hooks import on_decision_signed, subject_kind_register
        from commissioning.monitoring.hooks import monitored_kind_register
        from commissioning.procurement import demo, permissions  # noqa: F401
        from commissioning.procurement.commissioning import (
            STEP_EVIDENCE,
            awards_signed_since,
            project_procurement,
        )
        from commissioning.procurement.contracts.services import MONITORED_CONTRACT
        from commissioning.procurement.hooks import (
            DECISION_SUBJECTS,
            decision_signed,
            supplies_office,
        )

        on_decision_signed(decision_signed)
        monitored_kind_register(MONITORED_CONTRACT)
        for kind in DECISION_SUBJECTS:
            subject_kind_register(kind)
        # A commissioning project (cycle) links its exercises and contracts; they evidence
        # the steps procurement proves.
        cycle_hooks.project_link_provider(project_procurement)
        for code, check in STEP_EVIDENCE.items():
            cycle_hooks.step_evidence_register(code, check)
        # A signed award opens a feedback survey for the bidders (cycle).
        cycle_hooks.survey_occasion_provider(awards_signed_since)
        registry.demo_steps.register(self.label, demo.seed)
        registry.staff_home_panels.register(self.label, "procurement/_home_panel.html")
        registry.organisation_ties.register(self.label, supplies_office)
