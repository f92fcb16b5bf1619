import math
import re

WORDS_PER_MINUTE = 200


def reading_minutes(text):
    """Minutes a reader needs for `text` (plain text), at 200 words a minute; at least one."""
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))


def language_name_in_text(code: str) -> str:
    """A language's name as it is written inside a sentence of the active language: French writes language names
    in lower case ("en néerlandais"); Dutch and English capitalise them."""
    from django.utils.translation import get_language, get_language_info

    name = str(get_language_info(code)["name_translated"])
    return name.lower() if (get_language() or "").startswith("fr") else name


def in_every_language(text) -> dict[str, str]:
    """A translatable string (gettext_lazy) in each of the platform's languages: {"fr": …, "nl": …, "en": …}."""
    from django.conf import settings
    from django.utils import translation

    strings = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            strings[code] = str(text)
    return strings
