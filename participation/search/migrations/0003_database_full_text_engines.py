"""The site search's own full-text index in the database (participation/search/engine.py): an FTS5 table on SQLite,
a weighted tsvector column with a GIN index on PostgreSQL, filled with the documents already there. What Wagtail's
database backend held of the documents is let go."""

from django.db import migrations

from participation.search.analysis import body_terms
from participation.search.engine import DATABASE_ENGINES


def create(apps, schema_editor):
    engine = DATABASE_ENGINES[schema_editor.connection.vendor]()
    for statement in engine.schema:
        schema_editor.execute(statement)
    SearchDocument = apps.get_model("search", "SearchDocument")
    documents = SearchDocument.objects.order_by("pk")
    engine.rows_index(
        [
            (
                document.pk,
                document.heading_terms,
                document.summary_terms,
                document.tag_terms,
                body_terms(
                    heading=document.heading, summary=document.summary, body=document.body, language=document.language
                ),
            )
            for document in documents
        ]
    )
    ContentType = apps.get_model("contenttypes", "ContentType")
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    IndexEntry.objects.filter(content_type__in=ContentType.objects.filter(app_label="search")).delete()


def drop(apps, schema_editor):
    for statement in DATABASE_ENGINES[schema_editor.connection.vendor]().unschema:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_ranking_columns"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
