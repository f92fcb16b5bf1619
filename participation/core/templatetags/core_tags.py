import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from participation.core import selectors, translation_selectors
from participation.core.text import language_name_in_text

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in each language (see selectors.page_alternates), kept per address until a page changes (the
    query string is added after)."""
    page = context.get("page")
    request = context["request"]
    if context.get("alternates_override"):
        return context["alternates_override"]
    if page is not None and getattr(page, "translation_key", None):
        alternates = selectors.cached_until_change(
            name=f"alternates:{page.pk}:{request.path}", build=lambda: _page_alternates(page, request)
        )
        # A page's query string (filters) is kept in the versions that show the same page or route.
        query = request.META.get("QUERY_STRING", "")
        alternates = [
            {**alternate, "url": alternate["url"] + (f"?{query}" if query and alternate["same_view"] else "")}
            for alternate in alternates
        ]
    else:
        alternates = selectors.page_alternates(path=request.get_full_path())
    for alternate in alternates:
        alternate["absolute_url"] = request.build_absolute_uri(alternate["url"])
    return alternates


def _page_alternates(page, request):
    """A page's versions (selectors.page_alternates) without the page objects, each saying whether it shows the same
    view (`same_view`: the page, or the route the request is on, written with that language's words), where the
    request's query string applies."""
    on_route = getattr(request, "routable_resolver_match", None) is not None
    alternates = []
    for alternate in selectors.page_alternates(page=page):
        translation = alternate.pop("page")
        same_view = translation is not None and translation.live
        if same_view and on_route:
            route_url = translation.specific.route_alternate_url(request)
            alternate["url"] = route_url or alternate["url"]
            same_view = route_url is not None
        alternates.append({**alternate, "same_view": same_view})
    return alternates


@register.filter
def language_in_text(code):
    """{{ "nl"|language_in_text }}: the language's name inside a sentence ("néerlandais" in French)."""
    return language_name_in_text(code)


@register.simple_tag(takes_context=True)
def page_description(context):
    """The page's description for search engines and link previews: the editor's (promote tab), or its lead, or its
    introduction. Routes of a page describe themselves (`{% block description %}`)."""
    page = context.get("page")
    if page is None:
        return ""
    text = page.search_description or getattr(page, "lead", "") or strip_tags(str(getattr(page, "intro", "") or ""))
    return Truncator(" ".join(text.split())).chars(300)


@register.simple_tag
def hreflang_links(alternates):
    """(hreflang, address) of the page's versions that exist, with x-default (core.selectors.hreflang_alternates)."""
    versions = [(alternate["code"], alternate["absolute_url"]) for alternate in alternates if alternate["exists"]]
    return selectors.hreflang_alternates(versions=versions)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's own address for search engines, without its query string (filters and pages of a list are views of
    one address). A route of a page is its own address; a page shown in place of a missing translation (an alias)
    points at its original, route included."""
    page = context.get("page")
    request = context["request"]
    path = request.path
    if page is not None and getattr(page, "is_fallback", False) and page.alias_of_id:
        original = page.alias_of.specific
        route = getattr(original, "route_alternate_url", None)
        path = ((route(request) if route else None) or original.url).split("?")[0]
    return request.build_absolute_uri(path)


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    return {"items": selectors.navigation_items(language=get_language(), path=context["request"].path)}


@register.inclusion_tag("includes/footer_links.html")
def footer_links():
    return {"links": selectors.footer_links(language=get_language())}


@register.simple_tag
def home_url():
    return selectors.home_url(language=get_language())


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def structured_data(context):
    """The page's schema.org description (`structured_data` in its context, core.structured_data) as a JSON-LD data
    block, with the page's versions in the other languages; escaped so that no text can close the element."""
    data = context.get("structured_data")
    request = context["request"]
    # A route under the page (a registration form…) renders through the page but is not what it describes.
    if data is None or request.build_absolute_uri(request.path) != data.url:
        return ""
    versions = [(item["code"], item["absolute_url"]) for item in context.get("alternates", ()) if item["exists"]]
    payload = json.dumps(data.json_ld(versions=versions), cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(payload.translate(JSON_SCRIPT_ESCAPES))
    )


@register.simple_tag(takes_context=True)
def page_provenance(context):
    """Where the page's text comes from, for the label and the outdated-translation notice (decision 0019); a route
    that shows another record gives its own (`provenance` in its context)."""
    if "provenance" in context:
        return context["provenance"]
    page = context.get("page")
    if page is None:
        return None
    match = getattr(context.get("request"), "routable_resolver_match", None)
    return translation_selectors.page_provenance(page=page, route_name=getattr(match, "url_name", "") or "")
