from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "commissioning.decisions"
    label = "decisions"
    verbose_name = _("Decisions and letters")

    def ready(self):
        from commissioning.core import registry
        from commissioning.decisions import demo

        registry.demo_steps.register(self.label, demo.seed)
        registry.staff_home_panels.register(self.label, "decisions/staff/_home_panel.html")
        registry.application_page_sections.register(
            self.label, "decisions/staff/_application_panel.html"
        )
