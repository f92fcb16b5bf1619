"""Initiatives move to Wagtail's moderation machinery: `live` and the other draft-state fields replace the hand-made
moderation state. Published initiatives stay live (their latest revision becomes the live one); pending, declined
and archived ones become drafts. Going back restores the published/pending state from `live`."""

import django.db.models.deletion
from django.db import migrations, models


def live_from_moderation_state(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    Initiative.objects.exclude(moderation_state="published").update(live=False)
    published = Initiative.objects.filter(moderation_state="published")
    published.update(live=True)
    for initiative in published.only("pk", "latest_revision_id", "created_at", "updated_at"):
        Initiative.objects.filter(pk=initiative.pk).update(
            live_revision_id=initiative.latest_revision_id,
            first_published_at=initiative.created_at,
            last_published_at=initiative.updated_at,
        )


def moderation_state_from_live(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    Initiative.objects.filter(live=True).update(moderation_state="published")
    Initiative.objects.filter(live=False).update(moderation_state="pending")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_purchasing_lot_data"),
        ("initiatives", "0005_freshness_and_import"),
        ("toolbox", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="expire_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="expiry date/time"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="expired",
            field=models.BooleanField(default=False, editable=False, verbose_name="expired"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="first_published_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="first published at"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="go_live_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="go live date/time"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="has_unpublished_changes",
            field=models.BooleanField(default=False, editable=False, verbose_name="has unpublished changes"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="last_published_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="last published at"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="live",
            field=models.BooleanField(default=True, editable=False, verbose_name="live"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="live_revision",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.revision",
                verbose_name="live revision",
            ),
        ),
        migrations.RunPython(live_from_moderation_state, moderation_state_from_live),
        migrations.RemoveIndex(
            model_name="initiative",
            name="initiatives_moderat_9d9dcc_idx",
        ),
        migrations.RemoveField(
            model_name="initiative",
            name="moderation_state",
        ),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["live", "start_date"], name="initiatives_live_5c94ed_idx"),
        ),
    ]
