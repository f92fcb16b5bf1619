"""Moderators moderate shared initiatives."""

from django.db import migrations

from participation.core.reference_data import permissions_create


def grant(apps, schema_editor):
    permissions_create(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="submissions", codename="moderate_submission")
    )
    access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(*access)


class Migration(migrations.Migration):
    dependencies = [("submissions", "0001_initial"), ("initiatives", "0002_group_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
