"""For the public register at volume (TR1): an index of each office's awards by decision, which
counts the awards of published decisions without reading their rows; and the awards' search
text, filled for the awards already made, with on PostgreSQL a trigram index (pg_trgm) that
serves LIKE '%word%' on it."""

from django.contrib.postgres.operations import TrigramExtension
import django.db.models.functions.text
from django.db import migrations, models

INDEX = "awards_award_search_trgm"


def search_text_of(*parts):
    # As commissioning.awards.models.search_text_of, as it was when this migration was made.
    return " ".join(" ".join(part or "" for part in parts).split()).casefold()


def fill(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    rows = (
        Award.objects.using(schema_editor.connection.alias)
        .order_by("pk")
        .values_list("pk", "organisation__name", "title", "application__short_description")
    )
    batch = []
    for pk, name, title, description in rows.iterator(chunk_size=2000):
        batch.append(Award(pk=pk, search_text=search_text_of(name, title, description)))
        if len(batch) >= 2000:
            Award.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Award.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_text"])


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "awards_award" '
            'USING gin ("search_text" gin_trgm_ops)'
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_bank_details_and_payments"),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(fields=["office", "decision"], name="awards_awar_office__634022_idx"),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(
                django.db.models.functions.text.Upper("reference"),
                name="awards_award_reference_upper",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        TrigramExtension(),
        migrations.RunPython(add_index, drop_index),
    ]
