"""Editors and moderators may export the newsletter's confirmed subscribers (CSV, in the admin)."""

from django.db import migrations


def grant(apps, schema_editor):
    # Made here from the historical models: the subscribers have since moved to the newsletter app, so the
    # permission would not be created from the current ones.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="articles", model="subscriber")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="export_subscribers",
        defaults={"name": "Can export the newsletter subscribers"},
    )
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0008_purchasing_lot_data"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
