"""On PostgreSQL, the database itself refuses to change or delete an audit event (TR6), whoever
asks: the ORM, raw SQL or a database console. The one change allowed is the one Django makes
when a user or office is deleted: the event's `actor_id` or `office_id` set to NULL, all else
unchanged. SQLite has no such triggers; there the model refuses (AuditEvent.save)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id
       AND NEW.occurred_at IS NOT DISTINCT FROM OLD.occurred_at
       AND NEW.verb IS NOT DISTINCT FROM OLD.verb
       AND NEW.target_type IS NOT DISTINCT FROM OLD.target_type
       AND NEW.target_id IS NOT DISTINCT FROM OLD.target_id
       AND NEW.target_label IS NOT DISTINCT FROM OLD.target_label
       AND NEW.data IS NOT DISTINCT FROM OLD.data
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND (NEW.office_id IS NULL OR NEW.office_id = OLD.office_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Audit events cannot be changed or deleted (% on audit_auditevent refused).',
        TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
