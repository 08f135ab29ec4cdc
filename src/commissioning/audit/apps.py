from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "commissioning.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        # Core's transition guard writes an audit event for every state change; core sits
        # below this app, so the writer is handed to it here.
        from commissioning.audit.services import audit_event_record
        from commissioning.core.transitions import audit_writer_register

        audit_writer_register(audit_event_record)
