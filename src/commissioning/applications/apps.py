from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "commissioning.applications"
    label = "applications"
    verbose_name = _("Rounds and applications")

    def ready(self):
        from commissioning.applications import demo, selectors
        from commissioning.applications.rounds import commissioning
        from commissioning.core import registry
        from commissioning.cycle import hooks

        registry.demo_steps.register(self.label, demo.seed)
        # An office's staff may see the due diligence of organisations that applied to it.
        registry.organisation_ties.register(self.label, selectors.organisation_has_applied)
        # A round names the commissioning project it funds (cycle).
        hooks.project_link_provider(commissioning.project_rounds)
        hooks.step_evidence_register("procurement_route", commissioning.project_has_round)
        # A round's deadline passing opens a feedback survey for its applicants (cycle).
        hooks.survey_occasion_provider(commissioning.rounds_closed_since)
