from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "commissioning.cycle"
    label = "cycle"
    verbose_name = _("Commissioning cycle")
