"""PostgreSQL answers every full-text condition from its GIN indexes (participation/search/engine.py): the
documents' vector is made again without planner statistics, and the headings get a vector of their own for the
suggestions. The columns are generated from the analysed columns, so nothing is re-indexed by hand. Nothing changes
on SQLite."""

from django.db import migrations

from participation.search.engine import PostgresEngine


def postgres_index_renew(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in PostgresEngine.unschema + PostgresEngine.schema:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_database_full_text_engines")]

    operations = [migrations.RunPython(postgres_index_renew, migrations.RunPython.noop)]
