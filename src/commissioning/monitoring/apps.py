from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "commissioning.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        # Lower apps hear from this one only through what it registers here.
        from commissioning.awards.hooks import on_award_made
        from commissioning.core import registry
        from commissioning.decisions.hooks import on_decision_signed, subject_kind_register
        from commissioning.monitoring import demo, permissions  # noqa: F401
        from commissioning.monitoring.payments import release_instalments
        from commissioning.monitoring.performance.services import decommissioning_decision_signed
        from commissioning.monitoring.performance.views import DECOMMISSIONING_DECISIONS
        from commissioning.monitoring.services import (
            return_accepted_hook_register,
            schedule_for_new_award,
        )

        on_award_made(schedule_for_new_award)
        return_accepted_hook_register(release_instalments)
        subject_kind_register(DECOMMISSIONING_DECISIONS)
        on_decision_signed(decommissioning_decision_signed)
        registry.demo_steps.register(self.label, demo.seed)
        registry.staff_home_panels.register(self.label, "monitoring/staff/_home_panel.html")
