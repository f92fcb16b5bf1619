"""What the site search knows of pages (every page type of every domain) and the helpers the domains share.

A page is found in the tree of its language: a translation, or an alias that still shows the original text (its
document then says so, in `language`). Members-only pages are marked, password-protected ones left out. Publishing,
unpublishing, translating, moving, deleting a page or changing its privacy updates its documents and those of its
translations (and, for a move or a privacy change, its descendants); renaming a vocabulary term or a method sheet
updates what is tagged with it.
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from participation.core.models import HomePage, VocabularyTerm
from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.selectors import vocabulary_labels
from participation.search.services import (
    DocumentData,
    SearchSource,
    item_changed,
    item_deleted,
    labels_changed,
    memoised,
    source_register,
)

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def term_tags(terms: Iterable[VocabularyTerm | None]) -> str:
    """The labels of terms in the three languages (a query in any of them finds what is tagged)."""
    labels = []
    for term in terms:
        if term is not None:
            for code in LANGUAGES:
                model = type(term)
                known = memoised(("labels", model, code), partial(vocabulary_labels, model=model, language=code))
                labels.append(known.get(term.key, term.label))
    return " · ".join(dict.fromkeys(labels))


def page_titles(pages: Iterable[Page]) -> str:
    """The titles of pages in every language they exist in (a method named in any language finds its users)."""
    keys = sorted(page.translation_key for page in pages)

    def titles() -> str:
        found = Page.objects.filter(translation_key__in=keys, alias_of__isnull=True).values_list("title", flat=True)
        return " · ".join(dict.fromkeys(found))

    return memoised(("page titles", *keys), titles) if keys else ""


def _text(value: Any, model_field: Any) -> str:
    if hasattr(model_field, "get_searchable_content"):
        return " ".join(strip_tags(str(part)) for part in model_field.get_searchable_content(value))
    return strip_tags(str(value or ""))


def page_body(page: Page, exclude: Iterable[str] = ("title", "lead")) -> str:
    """The plain text of a page's searchable fields (its `search_fields`), StreamField and rich text included."""
    parts = []
    for search_field in page.search_fields:
        if isinstance(search_field, index.SearchField) and search_field.field_name not in exclude:
            name = search_field.field_name
            model_field = next((f for f in page._meta.get_fields() if f.name == name), None)
            parts.append(_text(getattr(page, name, ""), model_field))
    return " ".join(part for part in parts if part.strip())


def _page_documents(page: Page) -> list[DocumentData]:
    page = page.specific
    if not page.live or isinstance(page, HomePage) or page.depth <= 2:
        return []
    restrictions = page.get_view_restrictions()
    if any(restriction.restriction_type == PageViewRestriction.PASSWORD for restriction in restrictions):
        return []
    content_page = page.alias_of.specific if page.alias_of_id else page
    facts = content_page.search_facts() if hasattr(content_page, "search_facts") else {}
    # Its titles in every language: a page is found by its name in another language.
    facts["tags"] = " · ".join(filter(None, [facts.get("tags", ""), page_titles([content_page])]))
    return [
        DocumentData(
            site_language=page.locale.language_code,
            language=content_page.locale.language_code,
            kind=getattr(page, "search_kind", "page"),
            url=page.url or "",
            heading=content_page.title,
            summary=getattr(content_page, "lead", "") or content_page.search_description,
            body=page_body(content_page),
            members_only=bool(restrictions),
            is_demo=getattr(content_page, "is_demo", False),
            **facts,
        )
    ]


def _page_group(page: Page) -> PageQuerySet:
    """A page's translations and aliases, for a change to any of them."""
    return Page.objects.filter(translation_key=page.translation_key).specific()


def _live_pages() -> Any:
    return Page.objects.live().filter(depth__gt=2).specific().select_related("locale")


source_register(SearchSource(source_type="page", items=_live_pages, documents=_page_documents, group=_page_group))


def _page_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    item_changed(source_type="page", item=instance)
    if getattr(instance, "search_kind", "") == "sheet":  # initiatives, providers and articles carry its titles
        labels_changed(labels=_page_group(instance).values_list("title", flat=True))


def _page_tree_changed(page: Page) -> None:
    """A move or a privacy change: the page's group and everything under it (their addresses or access change)."""
    for member in _page_group(page):
        item_changed(source_type="page", item=member)
        for descendant in member.get_descendants():
            item_changed(source_type="page", item=descendant)


def _page_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    _page_tree_changed(instance)


def _page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        item_deleted(source_type="page", item_id=instance.pk)


def _term_saved(sender: Any, instance: VocabularyTerm, **kwargs: Any) -> None:
    translations = sender.objects.filter(translation_key=instance.translation_key)
    labels_changed(labels=translations.values_list("label", flat=True))


def _restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _page_tree_changed(page)


page_published.connect(_page_changed, dispatch_uid="search-page-published")
page_unpublished.connect(_page_changed, dispatch_uid="search-page-unpublished")
post_page_move.connect(_page_moved, dispatch_uid="search-page-moved")
post_delete.connect(_page_deleted, dispatch_uid="search-page-deleted")
for _model in VOCABULARY_MODELS:
    post_save.connect(_term_saved, sender=_model, dispatch_uid=f"search-term-saved-{_model.__name__}")
post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
