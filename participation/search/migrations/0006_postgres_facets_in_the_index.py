"""PostgreSQL: the documents' vector made again with each facet key as a lexeme (participation/search/engine.py,
`_POSTGRES_SEARCH_VECTOR`), so that a chosen facet is looked up in the full-text index with the words. Adding the
generated column writes the table anew (no old row versions left behind), then its indexes are built once. Nothing
changes on SQLite."""

from django.db import migrations

from participation.search.engine import PostgresEngine


def facets_in_the_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in PostgresEngine.search_vector_renew:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_indexes_per_language")]

    operations = [migrations.RunPython(facets_in_the_index, migrations.RunPython.noop)]
