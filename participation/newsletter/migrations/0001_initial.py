from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("core", "0008_purchasing_lot_data")]

    operations = [
        migrations.CreateModel(
            name="Subscriber",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254, unique=True, verbose_name="email")),
                (
                    "language",
                    models.CharField(
                        choices=[("fr", "Français"), ("nl", "Nederlands"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="confirmed at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="subscribed at")),
                (
                    "themes",
                    models.ManyToManyField(
                        blank=True,
                        limit_choices_to={"locale__language_code": "fr"},
                        related_name="+",
                        to="core.theme",
                        verbose_name="topics",
                    ),
                ),
            ],
            options={
                "verbose_name": "newsletter subscriber",
                "verbose_name_plural": "newsletter subscribers",
                "permissions": [("export_subscribers", "Can export the newsletter subscribers")],
            },
        ),
    ]
