"""Reads of the articles: the filtered, paginated list; relations with sheets and initiatives; feeds."""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participation.articles.models import ArticlePage
from participation.core.filters import ChoicesFilter, PublicFilterSet
from participation.core.models import Theme

PAGE_SIZE = 10
FIRST_YEAR = 2024


def year_choices():
    return [(year, year) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class ArticleFilterSet(PublicFilterSet):
    theme = ChoicesFilter(field_name="themes__key", label=_("Theme"), vocabulary=Theme)
    year = ChoicesFilter(field_name="date__year", label=_("Year"), choices_function=year_choices)

    class Meta:
        model = ArticlePage
        fields: list[str] = []


def articles_of(index):
    return ArticlePage.objects.child_of(index).live().public()


def article_selection(*, index, params, theme_key=None):
    filters = ArticleFilterSet(params, queryset=articles_of(index))
    articles = filters.qs
    if theme_key:
        articles = articles.filter(themes__key=theme_key)
    return filters, articles.select_related("locale", "alias_of__locale").prefetch_related("themes").order_by(
        "-date", "-pk"
    )


def article_page(*, articles, number):
    """A page of the list: a number that is not a page gives the first page, one past the end the last page."""
    paginator = Paginator(articles, PAGE_SIZE)
    return paginator.get_page(number if str(number).isdigit() else 1)


def _canonical(page):
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    from wagtail.models import Locale

    return page.get_translation_or_none(Locale.objects.get(language_code=settings.LANGUAGE_CODE))


def article_relations(*, article):
    """The sheets and initiatives an article links, in the reader's language."""
    from participation.toolbox.models import ToolboxSheetPage

    canonical = _canonical(article) or article
    keys = canonical.related_sheets.values("translation_key")
    sheets = ToolboxSheetPage.objects.filter(translation_key__in=keys, locale__language_code=get_language()).live()
    initiatives = canonical.related_initiatives.published().prefetch_related("translations")
    return {"related_sheets": list(sheets.order_by("title")), "related_initiatives": list(initiatives)}


def article_json_ld(*, article, request):
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.lead,
        "datePublished": article.date.isoformat(),
        "dateModified": (article.last_published_at or timezone.now()).date().isoformat(),
        "inLanguage": article.content_language,
        "author": {"@type": "Organization", "name": article.author},
        "publisher": {"@type": "Organization", "name": str(_("participation.brussels"))},
        "mainEntityOfPage": request.build_absolute_uri(article.url),
        "about": [theme.display_label for theme in article.themes.all()],
    }
