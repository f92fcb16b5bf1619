"""The six lots of the purchasing centre (../shared/facts/participation-brussels.md)."""

from django.db import migrations

from participation.core.reference_data import model_permissions_grant, terms_load

LOTS = [
    (
        "global-mission",
        "Mission globale : conception, mise en œuvre, accompagnement et évaluation, de A à Z",
        "Globale opdracht: ontwerp, uitvoering, begeleiding en evaluatie, van A tot Z",
        "Global mission: design, implementation, support and evaluation, from A to Z",
        {"number": 1},
    ),
    (
        "design",
        "Conception de processus participatifs",
        "Ontwerp van participatieprocessen",
        "Design of participatory processes",
        {"number": 2},
    ),
    (
        "facilitation",
        "Déploiement des processus et animation des réunions",
        "Uitvoering van processen en begeleiding van bijeenkomsten",
        "Deployment of processes and facilitation of meetings",
        {"number": 3},
    ),
    (
        "communication",
        "Communication, création de contenus, publicité",
        "Communicatie, contentcreatie, reclame",
        "Communication, content creation, advertising",
        {"number": 4},
    ),
    (
        "mobilisation",
        "Mobilisation du public et recrutement des participants",
        "Mobilisatie van het publiek en werving van deelnemers",
        "Mobilisation of the public and recruitment of participants",
        {"number": 5},
    ),
    (
        "evaluation",
        "Évaluation des processus et accompagnement du devoir de suite",
        "Evaluatie van processen en ondersteuning bij de terugkoppeling",
        "Evaluation of processes and support for the follow-up duty",
        {"number": 6},
    ),
]


def load(apps, schema_editor):
    terms_load(apps, "PurchasingLot", LOTS)


def grant(apps, schema_editor):
    model_permissions_grant(apps, ["PurchasingLot"])


class Migration(migrations.Migration):
    dependencies = [("core", "0007_purchasing_lots")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
