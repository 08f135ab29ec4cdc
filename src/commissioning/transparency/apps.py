from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "commissioning.transparency"
    label = "transparency"
    verbose_name = _("Transparency and open data")

    def ready(self):
        from commissioning.transparency.history.registrations import register

        register(self.label)
