import json

import factory
from django.conf import settings

from participation.core.models import SheetCategory
from participation.core.services import page_create
from participation.toolbox.blocks import METHOD_SECTIONS
from participation.toolbox.demo import _set_profile
from participation.toolbox.models import ToolboxIndexPage, ToolboxSheetPage


def sections(kinds=METHOD_SECTIONS, words=40):
    return json.dumps(
        [
            {
                "type": "section",
                "value": {"kind": kind, "heading": f"Section {kind}", "body": "<p>" + "mot " * words + "</p>"},
            }
            for kind in kinds
        ]
    )


class ToolboxSheetFactory(factory.Factory):
    class Meta:
        model = ToolboxSheetPage

    title = factory.Sequence(lambda n: f"Fiche {n}")
    slug = factory.Sequence(lambda n: f"fiche-{n}")
    lead = "Une phrase qui dit ce que la fiche apporte."
    kind = "method"
    category = factory.LazyFunction(
        lambda: SheetCategory.objects.get(key="methods", locale__language_code=settings.LANGUAGE_CODE)
    )
    body = factory.LazyFunction(sections)


def toolbox_index(home):
    return page_create(parent=home, page=ToolboxIndexPage(title="Boîte à outils", slug="outils", lead="Des fiches."))


def sheet_create(index, profile=None, **fields):
    """A published sheet under `index` with its profile given as vocabulary keys, e.g. {"levels": ["consultation"]}."""
    sheet = ToolboxSheetFactory(**fields)
    _set_profile(sheet, profile or {})
    return page_create(parent=index, page=sheet)
