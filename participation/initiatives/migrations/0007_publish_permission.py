"""Initiatives are published with Wagtail's publish action: editors and moderators may publish them (as they could
set the former moderation state)."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="initiatives", model="initiative")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename="publish_initiative", defaults={"name": "Can publish initiative"}
    )
    for name in ("Editors", "Moderators"):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0006_draft_state_and_revisions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
