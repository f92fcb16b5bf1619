"""The subscribers move from the articles app: rows copied with their dates and topics; the export permission is
granted to the groups that had the articles' one."""

from django.db import migrations

FIELDS = ("email", "language", "confirmed_at", "created_at")


def copy(source, target):
    for old in source.objects.prefetch_related("themes").order_by("pk"):
        new = target.objects.create(**{field: getattr(old, field) for field in FIELDS})
        # auto_now_add set created_at on create: keep the original date.
        target.objects.filter(pk=new.pk).update(created_at=old.created_at)
        new.themes.set(old.themes.all())


def forward(apps, schema_editor):
    copy(apps.get_model("articles", "Subscriber"), apps.get_model("newsletter", "Subscriber"))
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = Permission.objects.filter(content_type__app_label="articles", codename="export_subscribers").first()
    content_type, _created = ContentType.objects.get_or_create(app_label="newsletter", model="subscriber")
    new, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="export_subscribers",
        defaults={"name": "Can export the newsletter subscribers"},
    )
    groups = Group.objects.filter(permissions=old) if old else Group.objects.filter(name__in=["Editors", "Moderators"])
    for group in groups:
        group.permissions.add(new)


def backward(apps, schema_editor):
    copy(apps.get_model("newsletter", "Subscriber"), apps.get_model("articles", "Subscriber"))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("articles", "0002_group_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
