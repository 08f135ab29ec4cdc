from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "commissioning.assessment"
    label = "assessment"
    verbose_name = _("Panels, scoring and allocation")

    def ready(self):
        from commissioning.assessment import demo
        from commissioning.core import registry

        registry.demo_steps.register(self.label, demo.seed)
        registry.staff_home_panels.register(self.label, "assessment/staff/_home_panel.html")
        registry.application_page_sections.register(
            self.label, "assessment/staff/_application_panel.html"
        )
