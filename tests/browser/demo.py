"""The demo data for browser tests, seeded once per test process and restored for each test.

Seeding the demo runs every app's services (letters, agreements as PDFs, payments ...) and takes
many seconds; a browser test only needs the state it leaves. The first test that asks for a set
of offices seeds it on an emptied database and keeps a copy of every table; later tests get that
copy back in well under a second. The copy is the database's own: SQLite's backup API, or
PostgreSQL's COPY of each table with the sequences set after it. Uploaded and generated files
live in one folder per test process, so the rows restored always find their files.
"""

import sqlite3
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

ROOT = Path(__file__).resolve().parents[2]

_copies: dict[tuple[str, ...], object] = {}


def demo_restore_or_seed(offices: tuple[str, ...]) -> None:
    """Leave the database holding the demo of these offices (all five when empty)."""
    key = tuple(sorted(offices))
    if key in _copies:
        _restore(_copies[key])
        return
    call_command("flush", interactive=False, verbosity=0)
    if key:
        for slug in key:
            call_command("load_pack", str(ROOT / "packs" / f"{slug}.yaml"), verbosity=0)
    else:
        call_command("load_pack", all=True, verbosity=0)
    call_command("seed_demo", quiet_logins=True)
    _copies[key] = _copy()


def _copy():
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return copy
    tables = [t for t in connection.introspection.table_names() if t != "django_migrations"]
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            with cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                rows[table] = b"".join(bytes(chunk) for chunk in copy)
    return rows


def _restore(copy) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy.backup(connection.connection)
        return
    quoted = {table: connection.ops.quote_name(table) for table in copy}
    models = apps.get_models(include_auto_created=True)
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are checked at commit (Django makes them deferrable), so order is free.
        cursor.execute(f"TRUNCATE {', '.join(quoted.values())} RESTART IDENTITY CASCADE")
        for table, data in copy.items():
            if data:
                with cursor.copy(f"COPY {quoted[table]} FROM STDIN") as stream:
                    stream.write(data)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
