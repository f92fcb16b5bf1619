"""The method-profile vocabularies of ../shared/facts/vocabularies.md, and the toolbox's sheet categories."""

from django.db import migrations

from participation.core.reference_data import terms_load, model_permissions_grant

VOCABULARIES = {
    "GroupSize": [
        ("individuals", "Individus", "Individuen", "Individuals"),
        ("small", "Petit groupe (moins de 20)", "Kleine groep (minder dan 20)", "Small group (under 20)"),
        ("medium", "Groupe moyen (20 à 100)", "Middelgrote groep (20 tot 100)", "Medium group (20 to 100)"),
        ("large", "Grand groupe (plus de 100)", "Grote groep (meer dan 100)", "Large group (over 100)"),
        ("unlimited", "Sans limite", "Onbeperkt", "Unlimited"),
    ],
    "TimeNeeded": [
        ("hours", "Quelques heures", "Enkele uren", "A few hours"),
        ("days", "Quelques jours", "Enkele dagen", "A few days"),
        ("weeks", "Quelques semaines", "Enkele weken", "A few weeks"),
        ("months", "Plusieurs mois", "Meerdere maanden", "Several months"),
    ],
    "BudgetBand": [
        ("under-5k", "Moins de 5 000 €", "Minder dan € 5.000", "Under €5,000"),
        ("5k-25k", "De 5 000 à 25 000 €", "€ 5.000 tot € 25.000", "€5,000 to €25,000"),
        ("25k-100k", "De 25 000 à 100 000 €", "€ 25.000 tot € 100.000", "€25,000 to €100,000"),
        ("over-100k", "Plus de 100 000 €", "Meer dan € 100.000", "Over €100,000"),
    ],
    "FacilitationLevel": [
        ("none", "Sans animation", "Geen begeleiding", "No facilitation"),
        ("trained", "Animateur formé", "Opgeleide begeleider", "Trained facilitator"),
        ("professional", "Animation professionnelle", "Professionele begeleiding", "Professional facilitation"),
    ],
    "IssueComplexity": [
        ("very-low", "Très faible", "Zeer laag", "Very low"),
        ("low", "Faible", "Laag", "Low"),
        ("medium", "Moyenne", "Gemiddeld", "Medium"),
        ("high", "Élevée", "Hoog", "High"),
        ("very-high", "Très élevée", "Zeer hoog", "Very high"),
    ],
    "PolarisationLevel": [
        ("none", "Aucune", "Geen", "None"),
        ("low", "Faible", "Laag", "Low"),
        ("medium", "Moyenne", "Gemiddeld", "Medium"),
        ("high", "Forte", "Hoog", "High"),
    ],
    "SheetCategory": [
        (
            "introduction",
            "Introduction à la participation",
            "Inleiding tot participatie",
            "Introduction to participation",
        ),
        ("general-framework", "Cadre général", "Algemeen kader", "General framework"),
        ("process-types", "Types de processus", "Soorten processen", "Process types"),
        ("phases", "Phases d'un processus", "Fasen van een proces", "Phases of a process"),
        ("methods", "Méthodes", "Methoden", "Methods"),
        ("thematic-questions", "Questions thématiques", "Thematische vragen", "Thematic questions"),
    ],
}


def load(apps, schema_editor):
    for model_name, terms in VOCABULARIES.items():
        terms_load(apps, model_name, terms)


def grant(apps, schema_editor):
    model_permissions_grant(apps, list(VOCABULARIES))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_method_vocabularies")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
