"""Reference data: the three platform languages, the 19 communes and the shared vocabularies, in FR, NL and EN.

Sources: ../shared/facts/brussels.md (communes) and ../shared/facts/vocabularies.md (vocabularies). Labels can be
edited afterwards in the admin (Vocabularies); keys are stable identifiers.
"""

from django.db import migrations

from participation.core.reference_data import terms_load, model_permissions_grant

# key, FR, NL, EN, postcodes, latitude, longitude
COMMUNES = [
    ("anderlecht", "Anderlecht", "Anderlecht", "Anderlecht", "1070", "50.8372", "4.3077"),
    ("auderghem", "Auderghem", "Oudergem", "Auderghem", "1160", "50.8156", "4.4264"),
    (
        "berchem-sainte-agathe",
        "Berchem-Sainte-Agathe",
        "Sint-Agatha-Berchem",
        "Berchem-Sainte-Agathe",
        "1082",
        "50.8637",
        "4.2946",
    ),
    ("bruxelles", "Bruxelles-Ville", "Brussel-Stad", "City of Brussels", "1000, 1020, 1120, 1130", "50.8467", "4.3525"),
    ("etterbeek", "Etterbeek", "Etterbeek", "Etterbeek", "1040", "50.8361", "4.3861"),
    ("evere", "Evere", "Evere", "Evere", "1140", "50.8703", "4.4021"),
    ("forest", "Forest", "Vorst", "Forest", "1190", "50.8103", "4.3242"),
    ("ganshoren", "Ganshoren", "Ganshoren", "Ganshoren", "1083", "50.8712", "4.3084"),
    ("ixelles", "Ixelles", "Elsene", "Ixelles", "1050", "50.8275", "4.3697"),
    ("jette", "Jette", "Jette", "Jette", "1090", "50.8773", "4.3268"),
    ("koekelberg", "Koekelberg", "Koekelberg", "Koekelberg", "1081", "50.8627", "4.3285"),
    (
        "molenbeek-saint-jean",
        "Molenbeek-Saint-Jean",
        "Sint-Jans-Molenbeek",
        "Molenbeek-Saint-Jean",
        "1080",
        "50.8545",
        "4.3222",
    ),
    ("saint-gilles", "Saint-Gilles", "Sint-Gillis", "Saint-Gilles", "1060", "50.8279", "4.3459"),
    (
        "saint-josse-ten-noode",
        "Saint-Josse-ten-Noode",
        "Sint-Joost-ten-Node",
        "Saint-Josse-ten-Noode",
        "1210",
        "50.8532",
        "4.3733",
    ),
    ("schaerbeek", "Schaerbeek", "Schaarbeek", "Schaerbeek", "1030", "50.8676", "4.3737"),
    ("uccle", "Uccle", "Ukkel", "Uccle", "1180", "50.8003", "4.3371"),
    (
        "watermael-boitsfort",
        "Watermael-Boitsfort",
        "Watermaal-Bosvoorde",
        "Watermael-Boitsfort",
        "1170",
        "50.7998",
        "4.4153",
    ),
    (
        "woluwe-saint-lambert",
        "Woluwe-Saint-Lambert",
        "Sint-Lambrechts-Woluwe",
        "Woluwe-Saint-Lambert",
        "1200",
        "50.8435",
        "4.4284",
    ),
    (
        "woluwe-saint-pierre",
        "Woluwe-Saint-Pierre",
        "Sint-Pieters-Woluwe",
        "Woluwe-Saint-Pierre",
        "1150",
        "50.8298",
        "4.4431",
    ),
]

# model name → [(key, FR, NL, EN[, extra fields])], in editorial order
VOCABULARIES = {
    "Theme": [
        (
            "urban-planning-public-space",
            "Urbanisme et espace public",
            "Stedenbouw en openbare ruimte",
            "Urban planning and public space",
        ),
        ("mobility", "Mobilité", "Mobiliteit", "Mobility"),
        ("environment-climate", "Environnement et climat", "Leefmilieu en klimaat", "Environment and climate"),
        ("housing", "Logement", "Huisvesting", "Housing"),
        (
            "neighbourhood-social-cohesion",
            "Vie de quartier et cohésion sociale",
            "Buurtleven en sociale cohesie",
            "Neighbourhood life and social cohesion",
        ),
        ("culture-heritage", "Culture et patrimoine", "Cultuur en erfgoed", "Culture and heritage"),
        ("education-youth", "Enseignement et jeunesse", "Onderwijs en jeugd", "Education and youth"),
        ("health-welfare", "Santé et action sociale", "Gezondheid en welzijn", "Health and welfare"),
        ("economy-employment", "Économie et emploi", "Economie en werk", "Economy and employment"),
        (
            "governance-public-services",
            "Gouvernance et services publics",
            "Bestuur en openbare dienstverlening",
            "Governance and public services",
        ),
        ("digital", "Numérique", "Digitalisering", "Digital"),
        ("safety-prevention", "Sécurité et prévention", "Veiligheid en preventie", "Safety and prevention"),
    ],
    "ParticipationLevel": [
        ("information", "Information", "Informatie", "Information", {"iap2": "inform"}),
        ("consultation", "Consultation", "Raadpleging", "Consultation", {"iap2": "consult"}),
        ("concertation", "Concertation", "Overleg", "Involvement", {"iap2": "involve"}),
        ("co-construction", "Co-construction", "Co-creatie", "Co-construction", {"iap2": "collaborate"}),
        ("co-decision", "Co-décision", "Co-beslissing", "Co-decision", {"iap2": "empower"}),
        ("citizen-initiative", "Initiative citoyenne", "Burgerinitiatief", "Citizen-led initiative", {"iap2": ""}),
    ],
    "Phase": [
        ("framing", "Cadrage", "Kadering", "Framing"),
        ("design", "Conception", "Ontwerp", "Design"),
        (
            "mobilisation-communication",
            "Mobilisation et communication",
            "Mobilisatie en communicatie",
            "Mobilisation and communication",
        ),
        (
            "deployment-facilitation",
            "Déploiement et animation",
            "Uitvoering en begeleiding",
            "Deployment and facilitation",
        ),
        ("feedback", "Devoir de suite", "Terugkoppeling", "Feedback to participants"),
        ("evaluation", "Évaluation", "Evaluatie", "Evaluation"),
    ],
    "Audience": [
        ("all-residents", "Tous les habitants", "Alle inwoners", "All residents"),
        ("young-people", "Jeunes", "Jongeren", "Young people"),
        ("children", "Enfants", "Kinderen", "Children"),
        ("older-people", "Personnes âgées", "Ouderen", "Older people"),
        (
            "people-with-disabilities",
            "Personnes en situation de handicap",
            "Personen met een handicap",
            "People with disabilities",
        ),
        (
            "newcomers-migrants",
            "Primo-arrivants et personnes migrantes",
            "Nieuwkomers en migranten",
            "Newcomers and migrants",
        ),
        ("low-income", "Personnes à faibles revenus", "Mensen met een laag inkomen", "People on low incomes"),
        ("women", "Femmes", "Vrouwen", "Women"),
        ("families", "Familles", "Gezinnen", "Families"),
        ("local-businesses", "Commerces et entreprises locales", "Lokale handelaars en bedrijven", "Local businesses"),
        ("associations", "Associations", "Verenigingen", "Associations"),
        ("public-officers", "Agents publics", "Ambtenaren", "Public officers"),
        ("experts", "Experts", "Experts", "Experts"),
    ],
    "OrganiserType": [
        ("municipality", "Commune", "Gemeente", "Municipality"),
        ("cpas", "CPAS", "OCMW", "Public social welfare centre (CPAS/OCMW)"),
        (
            "regional-body",
            "Administration ou organisme régional",
            "Gewestelijke administratie of instelling",
            "Regional administration or agency",
        ),
        ("parliament", "Parlement", "Parlement", "Parliament"),
        (
            "community-commission",
            "Commission communautaire (COCOF, VGC, COCOM)",
            "Gemeenschapscommissie (COCOF, VGC, GGC)",
            "Community commission (COCOF, VGC, COCOM)",
        ),
        ("federal-body", "Organisme fédéral", "Federale instelling", "Federal body"),
        ("school", "École", "School", "School"),
        ("university", "Université ou haute école", "Universiteit of hogeschool", "University or college"),
        ("non-profit", "Association (ASBL)", "Vereniging (vzw)", "Non-profit organisation"),
        ("citizen-collective", "Collectif citoyen", "Burgercollectief", "Citizen collective"),
        ("private-company", "Entreprise privée", "Privébedrijf", "Private company"),
    ],
    "Format": [
        ("face-to-face", "En présentiel", "Fysiek", "Face-to-face"),
        ("online", "En ligne", "Online", "Online"),
        ("hybrid", "Hybride", "Hybride", "Hybrid"),
    ],
}


def load_reference_data(apps, schema_editor):
    communes = [
        (key, fr, nl, en, {"postcodes": postcodes, "latitude": lat, "longitude": lon})
        for key, fr, nl, en, postcodes, lat, lon in COMMUNES
    ]
    terms_load(apps, "Commune", communes)
    for model_name, terms in VOCABULARIES.items():
        terms_load(apps, model_name, terms)


def grant_group_permissions(apps, schema_editor):
    """Editors and Moderators edit the vocabularies and translate content from the Wagtail admin."""
    model_permissions_grant(apps, ["Commune", *VOCABULARIES])
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="simple_translation", codename="submit_translation"),
            *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("simple_translation", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
        migrations.RunPython(grant_group_permissions, migrations.RunPython.noop),
    ]
