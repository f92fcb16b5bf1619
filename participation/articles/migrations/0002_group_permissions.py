"""Editors and moderators may export the newsletter's confirmed subscribers (CSV, in the admin)."""

from django.db import migrations

from participation.core.reference_data import permissions_create


def grant(apps, schema_editor):
    permissions_create(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="articles", codename="export_subscribers")
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial"), ("core", "0008_purchasing_lot_data")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
