from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "commissioning.transparency"
    label = "transparency"
    verbose_name = _("Transparency and open data")

    def ready(self):
        from commissioning.transparency.history.registrations import register

        register(self.label)

        from commissioning.core import registry
        from commissioning.transparency.register import demo as register_demo

        registry.demo_steps.register(self.label, register_demo.seed)
