"""Indexes that let a filter on a many-to-many relation (a theme, a commune, an audience, a method) read the ids of the
initiatives it selects from the index alone (decision 0023): the link tables, created by Django, have an index on
the term's id, from which the database then read every link row for its initiative's id. Written in SQL because
Django keeps no model of its own for these tables; the same statement on SQLite and PostgreSQL."""

from django.db import migrations

LINKS = {
    "initiatives_initiative_themes": "theme_id",
    "initiatives_initiative_communes": "commune_id",
    "initiatives_initiative_audiences": "audience_id",
    "initiatives_initiative_methods": "toolboxsheetpage_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0011_map_cells_per_filter"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX "{table}_by_term" ON "{table}" ("{term}", "initiative_id")',
            f'DROP INDEX "{table}_by_term"',
        )
        for table, term in LINKS.items()
    ]
