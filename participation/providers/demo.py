"""Demo content of the purchasing centre: its page, the lots' descriptions and the providers (the one known from
public sources with its known fact only, the others marked as demo). Idempotent."""

import json
import re
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale

from participation.core.content import content_read
from participation.core.models import HomePage, PurchasingLot
from participation.core.services import section_page_ensure
from participation.initiatives.models import Initiative, InitiativeTranslation
from participation.providers.models import Provider, ProviderText, PurchasingCentrePage
from participation.toolbox.demo import sheet_contents
from participation.toolbox.models import ToolboxSheetPage

CONTENT_DIR = Path(__file__).parent / "content"
DEMO_SUFFIX = re.compile(r"\s*\((démo|demo)\)$")


def _read(name):
    return content_read(CONTENT_DIR / name)


def _stream(block_type, items):
    return json.dumps([{"type": block_type, "value": item} for item in items])


def centre_fields(content):
    return {
        "title": content["title"],
        "slug": content["slug"],
        "menu_title": content["menu_title"],
        "lead": content["lead"].strip(),
        "sections": _stream(
            "section", [{"heading": s["heading"], "body": s["body"].strip()} for s in content["sections"]]
        ),
        "steps_heading": content["steps_heading"],
        "steps": _stream("step", [{"title": s["title"], "text": s["text"].strip()} for s in content["steps"]]),
        "faq_heading": content["faq_heading"],
        "faq": _stream(
            "question", [{"question": q["question"], "answer": q["answer"].strip()} for q in content["faq"]]
        ),
    }


def lots_describe():
    """Give each lot's record its description in each language, unless an editor wrote one."""
    for lot in _read("lots.yaml"):
        for code, text in lot["translations"].items():
            PurchasingLot.objects.filter(key=lot["key"], locale__language_code=code, description="").update(
                description=" ".join(text["description"].split())
            )


def _initiatives_by_key():
    """Content key of the demo initiatives → initiative, matched on the title in the original language."""
    from participation.initiatives.demo import initiative_contents

    titles = dict(InitiativeTranslation.objects.values_list("title", "initiative_id"))
    found = {}
    for item in initiative_contents():
        pk = titles.get(item["translations"][item["original_language"]]["title"].strip())
        if pk:
            found[item["key"]] = pk
    return found


def providers_ensure():
    lots = {lot.number: lot for lot in PurchasingLot.objects.filter(locale__language_code=settings.LANGUAGE_CODE)}
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    method_slugs = {
        c["key"]: c["translations"][settings.LANGUAGE_CODE]["slug"] for c in sheet_contents() if c["kind"] == "method"
    }
    sheets = {
        s.slug: s for s in ToolboxSheetPage.objects.filter(kind="method", locale__language_code=settings.LANGUAGE_CODE)
    }
    initiatives = _initiatives_by_key()
    created = 0
    for item in _read("providers.yaml"):
        if Provider.objects.filter(slug=item["key"]).exists():
            continue
        provider = Provider(
            name=DEMO_SUFFIX.sub("", item["translations"][settings.LANGUAGE_CODE]["name"]),
            slug=item["key"],
            is_demo=item["demo"],
            website=item.get("website") or "",
            email=item.get("email") or "",
        )
        provider.lots.set([lots[number] for number in item["lots"]])
        provider.methods.set(
            [sheets[method_slugs[key]] for key in item.get("methods", []) if method_slugs.get(key) in sheets]
        )
        provider.working_languages.set([locales[code] for code in item.get("languages", []) if code in locales])
        provider.references.set(
            Initiative.objects.filter(pk__in=[initiatives[k] for k in item.get("references", []) if k in initiatives])
        )
        provider.texts = [
            ProviderText(
                language=code,
                description=" ".join(text["description"].split()),
                services="\n".join(text.get("services") or []),
            )
            for code, text in item["translations"].items()
        ]
        provider.save()
        provider.save_revision(log_action=True)
        created += 1
    return created


def load(stdout):
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    content = _read("centre.yaml")["translations"]
    fields = {code: centre_fields(value) for code, value in content.items()}
    section_page_ensure(homes=homes, model=PurchasingCentrePage, fields_by_language=fields, position=3)
    lots_describe()
    created = providers_ensure() if (CONTENT_DIR / "providers.yaml").exists() else 0
    stdout.write(f"Purchasing centre: page, 6 lots, {Provider.objects.count()} providers ({created} new).")
