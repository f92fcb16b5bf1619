"""Demo content of the site shell: home pages and footer pages in FR, NL and EN (each section's app adds its page).

Texts live in `content/pages/*.yaml`. Loading is idempotent: a page that already exists (same slug under the same
parent) is left as it is, so editors' changes survive a new run.
"""

from pathlib import Path

from django.conf import settings
from wagtail.models import Locale

from participation.core.content import content_read
from participation.core.models import StandardPage
from participation.core.services import page_create, page_translation_save, site_homes_ensure

CONTENT_DIR = Path(__file__).parent / "content" / "pages"
FOOTER_KEYS = ["about", "accessibility", "privacy"]


def read_content(key):
    return content_read(CONTENT_DIR / f"{key}.yaml")


def _body(blocks):
    return [(block_type, value) for block in blocks for block_type, value in block.items()]


def _page_fields(translation):
    return {
        "title": translation["title"],
        "slug": translation["slug"],
        "lead": translation["lead"].strip(),
        "menu_title": translation.get("menu_title", ""),
        "body": _body(translation["body"]),
    }


def standard_page_ensure(*, key, homes, show_in_footer=False):
    """The StandardPage described by content/pages/<key>.yaml under each language's home page."""
    content = read_content(key)["translations"]
    default = settings.LANGUAGE_CODE
    home = homes[default]
    source = StandardPage.objects.child_of(home).filter(slug=content[default]["slug"]).first()
    if source is None:
        source = StandardPage(
            **_page_fields(content[default]),
            show_in_footer=show_in_footer,
            locale=home.locale,
        )
        translations = {code: _page_fields(content[code]) for code in homes if code != default}
        page_create(parent=home, page=source, translations=translations)
    pages = {default: source}
    for code, locale in ((code, Locale.objects.get(language_code=code)) for code in homes if code != default):
        existing = source.get_translation_or_none(locale)
        if existing is None or existing.alias_of_id:
            existing = page_translation_save(source=source, locale=locale, fields=_page_fields(content[code]))
        pages[code] = existing.specific
    return pages


def home_fields(content):
    return {
        "title": content["title"],
        "intro": content["intro"].strip(),
        "entry_points_heading": content["entry_points_heading"],
        "featured_heading": content["featured_heading"],
    }


def load(stdout):
    home_content = read_content("home")["translations"]
    homes = site_homes_ensure(fields_by_language={code: home_fields(value) for code, value in home_content.items()})
    footer = [standard_page_ensure(key=key, homes=homes, show_in_footer=True) for key in FOOTER_KEYS]
    stdout.write(f"Site shell: {len(homes)} home pages, {len(footer)} footer pages per language.")
