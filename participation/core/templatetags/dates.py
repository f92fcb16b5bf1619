"""The `date` filter, as Django's, with the first day of a month written as French writes it: "1er juin 2026".

Loaded as a builtin library (settings TEMPLATES OPTIONS "builtins"), so every template's `|date` gets it."""

import re

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

register = template.Library()

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST_OF_MONTH = re.compile(rf"(?<![\d/.-])1 ({MONTHS})\b")


def french_ordinals(text: str) -> str:
    """ "1 juin" → "1er juin" (the first of a month is an ordinal in French; other days are not)."""
    return FIRST_OF_MONTH.sub(r"1er \1", text)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    text = defaultfilters.date(value, arg)
    if text and (get_language() or "").startswith("fr"):
        return french_ordinals(text)
    return text
