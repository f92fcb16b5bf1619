"""Demo content of "share an initiative": its page in FR, NL and EN, sixth in the main navigation. Idempotent."""

from pathlib import Path

from participation.core.content import content_read
from participation.core.models import HomePage
from participation.core.services import section_page_ensure
from participation.submissions.models import SharePage

CONTENT = Path(__file__).parent / "content" / "share-page.yaml"
POSITION = 5


def page_fields(translation):
    return {
        "title": translation["title"],
        "slug": translation["slug"],
        "menu_title": translation.get("menu_title", ""),
        "lead": translation["lead"].strip(),
        "body": [(block_type, value) for block in translation["body"] for block_type, value in block.items()],
    }


def load(stdout):
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    content = content_read(CONTENT)["translations"]
    fields = {code: page_fields(value) for code, value in content.items()}
    section_page_ensure(homes=homes, model=SharePage, fields_by_language=fields, position=POSITION)
    stdout.write("Share an initiative: page in 3 languages.")
