"""Editors add and change initiatives; moderators may also delete them."""

from django.db import migrations

from participation.core.reference_data import model_permissions_grant


def grant(apps, schema_editor):
    model_permissions_grant(apps, ["Initiative"], app_label="initiatives")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial"), ("core", "0006_initiative_vocabulary_data")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
