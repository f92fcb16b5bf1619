"""What the site search knows of the purchasing centre: each provider (one document per site language, its text in
that language or in French) and each lot, under the centre's page of that language. A provider's professional
contact is public; requests for support never are, and are not indexed."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from participation.core.models import PurchasingLot
from participation.core.search import page_titles, term_tags
from participation.providers.models import Provider, PurchasingCentrePage
from participation.search.services import DocumentData, SearchSource, item_changed, item_deleted, source_register


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


source_register(SearchSource(source_type="provider", items=_providers, documents=provider_documents))
source_register(
    SearchSource(
        source_type="lot",
        items=lambda: PurchasingLot.objects.select_related("locale").order_by("pk"),
        documents=lot_documents,
    )
)


def _provider_saved(sender: Any, instance: Provider, **kwargs: Any) -> None:
    item_changed(source_type="provider", item=instance)


def _provider_deleted(sender: Any, instance: Provider, **kwargs: Any) -> None:
    item_deleted(source_type="provider", item_id=instance.pk)


def _lot_saved(sender: Any, instance: PurchasingLot, **kwargs: Any) -> None:
    item_changed(source_type="lot", item=instance)


def _lot_deleted(sender: Any, instance: PurchasingLot, **kwargs: Any) -> None:
    item_deleted(source_type="lot", item_id=instance.pk)


post_save.connect(_provider_saved, sender=Provider, dispatch_uid="search-provider-saved")
post_delete.connect(_provider_deleted, sender=Provider, dispatch_uid="search-provider-deleted")
post_save.connect(_lot_saved, sender=PurchasingLot, dispatch_uid="search-lot-saved")
post_delete.connect(_lot_deleted, sender=PurchasingLot, dispatch_uid="search-lot-deleted")
