import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from participation.core import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in each language (see selectors.page_alternates)."""
    page = context.get("page")
    request = context["request"]
    if context.get("alternates_override"):
        return context["alternates_override"]
    if page is not None and getattr(page, "translation_key", None):
        alternates = selectors.page_alternates(page=page)
        # A route under the page (filters, sub-pages of a routable page) keeps its remainder in every language.
        remainder = request.get_full_path()[len(page.url) :] if request.path.startswith(page.url) else ""
        for alternate in alternates:
            if alternate["exists"]:
                alternate["url"] += remainder
    else:
        alternates = selectors.page_alternates(path=request.get_full_path())
    for alternate in alternates:
        alternate["absolute_url"] = request.build_absolute_uri(alternate["url"])
    return alternates


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    home = selectors.home_page_for_language()
    return {"items": selectors.navigation_items(home=home, path=context["request"].path)}


@register.inclusion_tag("includes/footer_links.html", takes_context=True)
def footer_links(context):
    home = selectors.home_page_for_language()
    return {"pages": selectors.footer_pages(home=home), "request": context["request"]}


@register.simple_tag
def home_url():
    home = selectors.home_page_for_language()
    return home.url if home else f"/{get_language()}/"


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """schema.org data as a JSON-LD script block, escaped so that no text can close the script element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
