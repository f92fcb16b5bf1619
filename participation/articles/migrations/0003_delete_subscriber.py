"""The subscribers now live in the newsletter app (copied by its migration 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_group_permissions"), ("newsletter", "0002_subscribers_from_articles")]

    operations = [migrations.DeleteModel(name="Subscriber")]
