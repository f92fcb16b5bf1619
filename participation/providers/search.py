"""What the site search knows of the purchasing centre: each provider (one document per site language, its text in
that language or in French) and each lot, under the centre's page of that language. A provider's professional
contact is public; requests for support never are, and are not indexed."""

from django.conf import settings
from django.db.models import QuerySet

from participation.core.models import PurchasingLot
from participation.core.search import page_titles, term_tags
from participation.providers.models import Provider, PurchasingCentrePage
from participation.search.services import DocumentData, SearchSource, source_register


def _centre(language: str) -> PurchasingCentrePage | None:
    return PurchasingCentrePage.objects.live().filter(locale__language_code=language).first()


def _providers() -> QuerySet[Provider]:
    return Provider.objects.prefetch_related("texts", "lots", "methods").order_by("pk")


def provider_documents(provider: Provider) -> list[DocumentData]:
    tags = " · ".join([term_tags(provider.lots.all()), page_titles(provider.methods.all())])
    documents = []
    for code, _name in settings.LANGUAGES:
        centre, text = _centre(code), provider.text(code)
        if centre is None or text is None:
            continue
        documents.append(
            DocumentData(
                site_language=code,
                language=text.language,
                kind="provider",
                url=centre.route_url("provider", slug=provider.slug),
                heading=provider.name,
                summary=text.description,
                body=text.services,
                tags=tags,
                is_demo=provider.is_demo,
            )
        )
    return documents


def lot_documents(lot: PurchasingLot) -> list[DocumentData]:
    code = lot.locale.language_code
    centre = _centre(code)
    if centre is None:
        return []
    return [
        DocumentData(
            site_language=code,
            language=code,
            kind="lot",
            url=centre.route_url("lot", number=lot.number),
            heading=str(lot.label),
            summary=lot.description,
        )
    ]


source_register(SearchSource(source_type="provider", items=_providers, documents=provider_documents, model=Provider))
source_register(
    SearchSource(
        source_type="lot",
        items=lambda: PurchasingLot.objects.select_related("locale").order_by("pk"),
        documents=lot_documents,
        model=PurchasingLot,
    )
)
