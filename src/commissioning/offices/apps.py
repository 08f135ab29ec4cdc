from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "commissioning.offices"
    label = "offices"
    verbose_name = _("Offices and set-up")

    def ready(self):
        from commissioning.core import registry
        from commissioning.offices import demo

        registry.demo_steps.register(self.label, demo.seed)
