"""PostgreSQL: the full-text indexes, one per site language (participation/search/engine.py,
`PostgresEngine.indexes`), in place of one for all; and the columns that the ranking reads kept in the documents'
rows (`PostgresEngine.ranked_in_row`), the values stored out of row written again so that they move in. Nothing
changes on SQLite."""

from django.db import migrations

from participation.search.engine import PostgresEngine


def indexes_per_language(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_document_vector, search_document_heading_vector")
    schema_editor.execute(PostgresEngine.ranked_in_row)
    # Before the full-text indexes are built: they are built once, from the rows written again.
    schema_editor.execute(
        "UPDATE search_searchdocument SET summary_terms = summary_terms || '', tag_terms = tag_terms || ''"
    )
    for statement in PostgresEngine.indexes:
        schema_editor.execute(statement)
    schema_editor.execute("ANALYZE search_searchdocument")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_heading_key_index")]

    operations = [migrations.RunPython(indexes_per_language, migrations.RunPython.noop)]
