"""Editors and moderators manage providers and follow support requests; moderators may also delete them."""

from django.db import migrations

from participation.core.reference_data import model_permissions_grant


def grant(apps, schema_editor):
    model_permissions_grant(apps, ["Provider", "SupportRequest"], app_label="providers")


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial"), ("core", "0008_purchasing_lot_data")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
