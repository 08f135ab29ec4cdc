from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "commissioning.cycle"
    label = "cycle"
    verbose_name = _("Commissioning cycle")

    def ready(self):
        from commissioning.core import registry
        from commissioning.cycle import demo, permissions  # noqa: F401
        from commissioning.cycle.projects import evidence

        evidence.register()
        registry.demo_steps.register(self.label, demo.seed)
        registry.staff_home_panels.register(self.label, "cycle/_home_panel.html")
