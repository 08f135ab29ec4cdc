from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "commissioning.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from commissioning.core import registry

        # Importing permissions registers the rules for has_perm checks made anywhere.
        from commissioning.organisations import demo, permissions  # noqa: F401

        registry.demo_steps.register(self.label, demo.seed)
