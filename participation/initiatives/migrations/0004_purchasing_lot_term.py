"""The purchasing-centre lot becomes a link to the shared PurchasingLot vocabulary (was a number)."""

import django.db.models.deletion
from django.db import migrations, models


def numbers_to_terms(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    PurchasingLot = apps.get_model("core", "PurchasingLot")
    lots = {lot.number: lot for lot in PurchasingLot.objects.filter(locale__language_code="fr")}
    for initiative in Initiative.objects.exclude(purchasing_lot_number=None):
        initiative.purchasing_lot = lots.get(initiative.purchasing_lot_number)
        initiative.save(update_fields=["purchasing_lot"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_purchasing_lot_data"),
        ("initiatives", "0003_status_optional"),
    ]

    operations = [
        migrations.RenameField("initiative", "purchasing_lot", "purchasing_lot_number"),
        migrations.AddField(
            model_name="initiative",
            name="purchasing_lot",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"locale__language_code": "fr"},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="initiatives",
                to="core.purchasinglot",
                verbose_name="purchasing-centre lot",
            ),
        ),
        migrations.RunPython(numbers_to_terms, migrations.RunPython.noop),
        migrations.RemoveField("initiative", "purchasing_lot_number"),
    ]
