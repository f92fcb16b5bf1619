"""Editors and moderators handle registrations (and export attendee lists) and membership requests; moderators may
also delete them. The 'Network members' group exists from the start: it has no admin permission at all, it only
opens the members' area and the members' documents."""

from django.db import migrations

from participation.core.reference_data import model_permissions_grant, permissions_create


def grant(apps, schema_editor):
    model_permissions_grant(apps, ["Registration", "MembershipRequest"], app_label="network")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions_create(apps)
    export = Permission.objects.get(content_type__app_label="network", codename="export_registration")
    for name in ("Editors", "Moderators"):
        Group.objects.get(name=name).permissions.add(export)
    Group.objects.get_or_create(name="Network members")


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial"), ("providers", "0002_group_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
