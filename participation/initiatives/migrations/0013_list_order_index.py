"""The list beside the map in its order, as an index on PostgreSQL (decision 0023): newest first, no start date last,
the id breaking ties, published initiatives only. PostgreSQL then reads the list from the index, in order, and stops
after the page's 21 rows that the filters select, where it sorted every published initiative (100,000 at the
largest size, on disk) for each page. SQLite accepts no `NULLS LAST` in an index and sorts what the filters select."""

from django.db import migrations

NAME = "initiative_list_order"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{NAME}" ON "initiatives_initiative" ("start_date" DESC NULLS LAST, "id" DESC) WHERE "live"'
        )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0012_filter_link_indexes"),
    ]

    operations = [migrations.RunPython(index_create, index_drop)]
