"""What the site search knows of initiatives: one document per site language for each published initiative, in
that language or, until it is translated, in its original language. Public fields only: never the contact of the
person who shared it. Updated whenever an initiative is saved (publishing and unpublishing save it; a proposed
change is a revision and changes nothing public) and when it is deleted."""

from functools import partial

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from participation.core.models import Audience, Commune, Theme
from participation.core.search import page_titles, term_tags
from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation
from participation.search.services import DocumentData, SearchSource, memoised, source_register
from participation.toolbox.models import ToolboxSheetPage

_TERMS = {"communes": Commune, "themes": Theme, "audiences": Audience}


def _published() -> QuerySet[Initiative]:
    # Of the terms and methods, only what the documents use (a method is a whole page otherwise).
    terms = {name: Prefetch(name, queryset=model.objects.only("key", "label")) for name, model in _TERMS.items()}
    return (
        Initiative.objects.published()
        .select_related("participation_level", "format", "organiser_type")
        .prefetch_related(
            "translations",
            *terms.values(),
            Prefetch("methods", queryset=ToolboxSheetPage.objects.only("translation_key")),
            "steps",
        )
        .order_by("pk")
    )


def _detail_url(index: InitiativeIndexPage, initiative: Initiative, code: str, slug: str) -> str:
    """`index.detail_url` (the detail route has no translated part), the map page's own address looked up once per
    rebuild."""
    base = memoised(("map page url", code), lambda: index.url)
    return base + index.reverse_subpage("detail", kwargs={"pk": initiative.pk, "slug": slug})


def initiative_documents(initiative: Initiative) -> list[DocumentData]:
    if not initiative.live:
        return []
    communes, themes = list(initiative.communes.all()), list(initiative.themes.all())
    terms = [*communes, *themes, initiative.participation_level, initiative.format, initiative.organiser_type]
    tags = " · ".join([term_tags([*terms, *initiative.audiences.all()]), page_titles(initiative.methods.all())])
    documents = []
    for code, _name in settings.LANGUAGES:
        index = memoised(("map page", code), partial(InitiativeIndexPage.for_language, code))
        text = initiative.text(code)
        if index is None or text is None:
            continue
        steps = " ".join(step.labels.get(text.language, "") for step in initiative.steps.all())
        story = " ".join(getattr(text, name) for name in InitiativeTranslation.SECTION_FIELDS)
        documents.append(
            DocumentData(
                site_language=code,
                language=text.language,
                kind="initiative",
                url=_detail_url(index, initiative, code, text.slug),
                heading=text.title,
                summary=text.summary,
                body=" ".join([initiative.organisers, initiative.partners, initiative.providers, story, steps]),
                tags=tags,
                themes=tuple(theme.key for theme in themes),
                communes=tuple(commune.key for commune in communes),
                level=initiative.participation_level.key if initiative.participation_level else "",
                year=initiative.start_date.year if initiative.start_date else None,
                is_demo=initiative.is_demo,
            )
        )
    return documents


source_register(
    SearchSource(source_type="initiative", items=_published, documents=initiative_documents, model=Initiative)
)
