"""Geographic scopes and recruitment methods (../shared/facts/vocabularies.md)."""

from django.db import migrations

from participation.core.reference_data import terms_load, model_permissions_grant

VOCABULARIES = {
    "GeographicScope": [
        ("building-street", "Bâtiment ou rue", "Gebouw of straat", "Building or street"),
        ("neighbourhood", "Quartier", "Wijk", "Neighbourhood"),
        ("commune", "Commune", "Gemeente", "Commune"),
        ("several-communes", "Plusieurs communes", "Meerdere gemeenten", "Several communes"),
        ("region", "Région", "Gewest", "Region"),
    ],
    "RecruitmentMethod": [
        ("open-call", "Appel ouvert", "Open oproep", "Open call"),
        ("targeted-invitation", "Invitation ciblée", "Gerichte uitnodiging", "Targeted invitation"),
        ("random-selection", "Tirage au sort", "Loting", "Random selection (sortition)"),
        (
            "stratified-random-selection",
            "Tirage au sort stratifié",
            "Gestratificeerde loting",
            "Stratified random selection",
        ),
        ("appointment", "Désignation", "Aanstelling", "Appointment"),
        ("election", "Élection", "Verkiezing", "Election"),
    ],
}


def load(apps, schema_editor):
    for model_name, terms in VOCABULARIES.items():
        terms_load(apps, model_name, terms)


def grant(apps, schema_editor):
    model_permissions_grant(apps, list(VOCABULARIES))


class Migration(migrations.Migration):
    dependencies = [("core", "0005_initiative_vocabularies")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
