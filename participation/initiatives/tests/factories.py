import datetime
from decimal import Decimal

import factory
from django.conf import settings

from participation.core import models as vocabularies
from participation.core.services import page_create
from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeStep, InitiativeTranslation
from participation.initiatives.services import map_cells_batched


def term(model, key):
    return model.objects.get(key=key, locale__language_code=settings.LANGUAGE_CODE)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    original_language = "fr"
    latitude = Decimal("50.846700")
    longitude = Decimal("4.352500")
    organisers = factory.Sequence(lambda n: f"Commune {n}")
    organiser_scope = "municipal"
    organiser_type = factory.LazyFunction(lambda: term(vocabularies.OrganiserType, "municipality"))
    participation_level = factory.LazyFunction(lambda: term(vocabularies.ParticipationLevel, "consultation"))
    format = factory.LazyFunction(lambda: term(vocabularies.Format, "face-to-face"))
    status = "finished"
    start_date = datetime.date(2022, 3, 1)
    end_date = datetime.date(2022, 9, 30)
    process_languages = ["fr", "nl"]
    contact_name = "Private Person"
    contact_email = "private.person@example.org"
    contact_organisation = "Private Organisation"


def initiative_create(
    *,
    titles=None,
    communes=("ixelles",),
    themes=("mobility",),
    audiences=("all-residents",),
    methods=(),
    steps=(),
    **fields,
):
    """A saved initiative with its texts: titles maps language → title (French and Dutch by default)."""
    titles = titles or {"fr": "Une place pour tous", "nl": "Een plein voor iedereen"}
    initiative = InitiativeFactory.build(**fields)
    initiative.communes.set([term(vocabularies.Commune, key) for key in communes])
    initiative.themes.set([term(vocabularies.Theme, key) for key in themes])
    initiative.audiences.set([term(vocabularies.Audience, key) for key in audiences])
    initiative.methods.set(list(methods))
    initiative.translations = [
        InitiativeTranslation(
            language=code,
            title=title,
            summary=f"Résumé {title}",
            problems_objectives=f"Problèmes {title}" if code == initiative.original_language else "",
        )
        for code, title in titles.items()
    ]
    initiative.steps = [InitiativeStep(date=date, labels=labels) for date, labels in steps]
    with map_cells_batched():  # the map's cells computed once for the initiative and its terms, not once per change
        initiative.save()
    return initiative


def map_page(home):
    return page_create(
        parent=home, page=InitiativeIndexPage(title="Carte des initiatives", slug="initiatives", lead="Une carte.")
    )
