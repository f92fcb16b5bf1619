"""Reads of the purchasing centre: the directory with its filters, lots, providers, eligibility outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from participation.core.filters import ChoicesFilter, PublicFilterSet
from participation.core.models import CANONICAL_TERMS, BudgetBand, PurchasingLot, TranslationRecord
from participation.core.selectors import RelatedLink, lot_name, page_links, vocabulary_labels
from participation.core.structured_data import StructuredData, region
from participation.core.translation_selectors import ProvenanceLabel, provenance_label
from participation.initiatives.models import Initiative
from participation.initiatives.models.records import NEWEST_FIRST
from participation.initiatives.selectors import method_choices
from participation.providers.models.records import OrganisationType, Provider
from participation.toolbox.models import ToolboxSheetPage

PLAN_ADDRESS_MAX = 2000

if TYPE_CHECKING:
    from participation.providers.models.pages import PurchasingCentrePage


@dataclass
class LotSummary:
    """A lot of the purchasing centre in the reader's language, with the number of its providers."""

    number: int
    key: str
    label: str
    description: str
    provider_count: int


@dataclass
class ProviderCard:
    """What a list shows of a provider: address under the centre, description (and its language), lots, languages."""

    provider: Provider
    url: str
    description: str
    text_language: str
    lots: list[tuple[int, str]]
    languages: list[str]


def language_choices() -> list[tuple[str, str]]:
    return settings.LANGUAGES


class ProviderFilterSet(PublicFilterSet):
    keyword_source = ("provider", None)
    lot = ChoicesFilter(field_name="lots__key", label=_("Lot"), vocabulary=PurchasingLot)
    method = ChoicesFilter(field_name="methods__slug", label=_("Method"), choices_function=method_choices)
    language = ChoicesFilter(
        field_name="working_languages__language_code", label=_("Working language"), choices_function=language_choices
    )

    class Meta:
        model = Provider
        fields: list[str] = []


def provider_selection(*, params: QueryDict) -> tuple[ProviderFilterSet, QuerySet[Provider]]:
    filters = ProviderFilterSet(params, queryset=Provider.objects.all())
    return filters, filters.qs


def provider_cards(
    *, providers: QuerySet[Provider] | list[Provider], language: str, centre: PurchasingCentrePage
) -> list[ProviderCard]:
    """What the directory shows of each provider (in a fixed number of queries), with its address under `centre`."""
    chosen = Provider.objects.filter(pk__in=[p.pk for p in providers]) if isinstance(providers, list) else providers
    rows = chosen.prefetch_related("texts", "lots", "working_languages").order_by("name")
    lot_labels = vocabulary_labels(model=PurchasingLot, language=language)
    names = dict(settings.LANGUAGES)
    cards = []
    for provider in rows:
        text = provider.text(language)
        cards.append(
            ProviderCard(
                provider=provider,
                url=centre.route_url("provider", slug=provider.slug),
                description=text.description if text else "",
                text_language=text.language if text else language,
                lots=[
                    (lot.number, lot_labels.get(lot.key, lot.label))
                    for lot in sorted(provider.lots.all(), key=lambda lot: lot.number)
                ],
                languages=[names[locale.language_code] for locale in provider.working_languages.all()],
            )
        )
    return cards


def provider_for_detail(*, slug: str) -> Provider | None:
    return (
        Provider.objects.prefetch_related("texts", "lots", "working_languages", "references__translations")
        .filter(slug=slug)
        .first()
    )


def provider_references(*, provider: Provider, language: str) -> list[RelatedLink]:
    """The published initiatives a provider took part in, as related links under the map of `language`."""
    map_page = Initiative.map_page(language)
    if map_page is None:
        return []
    return [
        initiative.related_link(map_page, language)
        for initiative in provider.references.published().prefetch_related("translations")
    ]


def lot_providers(*, number: int) -> QuerySet[Provider]:
    return Provider.objects.filter(lots__number=number).distinct()


# A lot's page shows at most this many initiatives its providers took part in, the newest first.
LOT_INITIATIVES_AT_MOST = 6


def lot_initiatives(*, number: int, language: str) -> list[RelatedLink]:
    """The published initiatives that providers of lot `number` took part in, as related links under the map of
    `language`."""
    map_page = Initiative.map_page(language)
    if map_page is None:
        return []
    initiatives = (
        Initiative.objects.published()
        .filter(pk__in=Provider.objects.filter(lots__number=number).values("references"))
        .prefetch_related("translations")
        .order_by(*NEWEST_FIRST)[:LOT_INITIATIVES_AT_MOST]
    )
    return [initiative.related_link(map_page, language) for initiative in initiatives]


def lots_with_provider_counts() -> list[LotSummary]:
    lots = PurchasingLot.objects.filter(locale__language_code=settings.LANGUAGE_CODE).annotate(
        provider_count=Count("providers")
    )
    labels = vocabulary_labels(model=PurchasingLot, language=get_language())
    descriptions = dict(
        PurchasingLot.objects.filter(locale__language_code=get_language()).values_list("key", "description")
    )
    return [
        LotSummary(
            number=lot.number,
            key=lot.key,
            label=labels.get(lot.key, lot.label),
            description=descriptions.get(lot.key, ""),
            provider_count=lot.provider_count,
        )
        for lot in lots.order_by("number")
    ]


def provider_methods(*, provider: Provider, language: str) -> list[RelatedLink]:
    keys = [method.translation_key for method in provider.methods.all()]
    return page_links(
        pages=ToolboxSheetPage.objects.filter(translation_key__in=keys, locale__language_code=language)
        .live()
        .select_related("locale", "alias_of__locale")
        .order_by("title")
    )


class Eligibility:
    ELIGIBLE = "eligible"
    TO_CONFIRM = "to-confirm"
    NOT_ELIGIBLE = "not-eligible"


def eligibility_outcome(*, organisation_type: str, in_region: bool, purpose_participation: bool) -> str:
    """Whether an organisation may order through the purchasing centre (facts: announcement of 21 June 2023).

    Regional and municipal administrations, and organisations with a task of regional or municipal interest in the
    Region, may order; the announcement also names citizen collectives, which the service confirms case by case.
    The centre only serves participatory processes.
    """
    if not purpose_participation or not in_region or organisation_type == OrganisationType.OTHER:
        return Eligibility.NOT_ELIGIBLE
    if organisation_type == OrganisationType.CITIZEN_COLLECTIVE:
        return Eligibility.TO_CONFIRM
    return Eligibility.ELIGIBLE


def support_request_initial(*, params: QueryDict) -> dict[str, Any]:
    """What a request starts with when it comes from a lot's or a provider's page (`?lot=3`, `?provider=callida`):
    that lot, or that provider and its lots; or from the planner (`?plan=/fr/planifier/plan/?…&lot=2&lot=3&budget=…
    &language=fr`): its lots, budget, languages, and the plan itself (`plan`, see `support_request_plan`). Unknown
    values are ignored."""
    initial: dict[str, Any] = {}
    provider = Provider.objects.filter(slug=params.get("provider", "")).first()
    if provider is not None:
        initial["provider"] = provider
        initial["lots"] = list(provider.lots.all())
    numbers = [int(number) for number in params.getlist("lot")[:6] if number.isdigit() and len(number) < 3]
    if numbers:
        lots = list(PurchasingLot.objects.filter(number__in=numbers, **CANONICAL_TERMS).order_by("number"))
        if lots:
            initial["lots"] = lots
    budget = BudgetBand.objects.filter(key=params.get("budget", "")[:64], **CANONICAL_TERMS).first()
    if budget is not None:
        initial["budget_band"] = budget
    codes = {code for code, _name in settings.LANGUAGES}
    languages = [code for code in params.getlist("language") if code in codes]
    if languages:
        initial["process_languages"] = list(dict.fromkeys(languages))
    if plan := params.get("plan", ""):
        initial["plan"] = plan
    return initial


def provider_structured_data(
    *,
    provider: Provider,
    card: ProviderCard,
    text: Any,
    methods: list[RelatedLink],
    centre: PurchasingCentrePage,
    request: HttpRequest,
) -> StructuredData:
    """A provider as a schema.org Organization: its website, description, working languages, the methods it masters
    and the lots it is pre-qualified in (each the Service the lot's page describes). Its contact email is left out."""
    url = request.build_absolute_uri(card.url)
    thing: dict[str, Any] = {
        "@type": "Organization",
        "name": provider.name,
        "knowsLanguage": [locale.language_code for locale in provider.working_languages.all()],
        "knowsAbout": [method.title for method in methods],
        "makesOffer": [
            {
                "@type": "Offer",
                "itemOffered": {
                    "@type": "Service",
                    "name": lot_name(number=number, label=label),
                    "url": request.build_absolute_uri(centre.route_url("lot", number=number)),
                },
            }
            for number, label in card.lots
        ],
    }
    if provider.website:
        thing["url"] = provider.website
    if text:
        thing["description"] = text.description
    return StructuredData(thing=thing, url=url, title=provider.name, language=card.text_language)


def lot_structured_data(
    *, lot: PurchasingLot, cards: list[ProviderCard], request: HttpRequest, centre: PurchasingCentrePage
) -> StructuredData:
    """A lot as a schema.org Service (decision 0013): the kind of service its pre-qualified providers deliver, for
    the Region's public bodies, the purchasing centre acting as broker. Not an OfferCatalog: a lot publishes no
    offers or prices (they are set per order)."""
    url = request.build_absolute_uri(centre.route_url("lot", number=lot.number))
    thing: dict[str, Any] = {
        "@type": "Service",
        "name": lot_name(number=lot.number, label=lot.label),
        "serviceType": lot.label,
        "url": url,
        "provider": [
            {"@type": "Organization", "name": card.provider.name, "url": request.build_absolute_uri(card.url)}
            for card in cards
        ],
        "broker": {
            "@type": "GovernmentOrganization",
            "name": centre.title,
            "url": request.build_absolute_uri(centre.url),
        },
        "areaServed": region(),
    }
    if lot.description:
        thing["description"] = lot.description
    return StructuredData(thing=thing, url=url, title=thing["name"], language=get_language())


def support_request_plan(*, path: str, language: str, site_url: str) -> str:
    """The plan a request carries, as the text the person sees on the form and the service receives: its address on
    this site, then what the app that makes plans says of it (the planner answers the Wagtail hook
    `support_request_plan`; this app does not import it). Empty for an address that is not a valid plan."""
    if not path.startswith("/") or path.startswith("//") or len(path) > PLAN_ADDRESS_MAX:
        return ""
    for hook in hooks.get_hooks("support_request_plan"):
        if text := hook(path=path, language=language):
            address = _("My plan, made with the participation planner: %(address)s") % {
                "address": f"{site_url.rstrip('/')}{path}"
            }
            return f"{address}\n\n{text}"
    return ""


def provider_provenance(*, provider: Provider, language: str) -> ProvenanceLabel | None:
    """Where a provider's texts shown in `language` come from, for the page's label and outdated notice (one query;
    the original's address only when outdated)."""
    record = TranslationRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Provider), object_key=str(provider.pk), language=language
    ).first()
    source_url = ""
    if record is not None and record.is_outdated:
        centre = Provider.centre_page(record.source_language)
        source_url = centre.route_url("provider", slug=provider.slug) if centre is not None else ""
    return provenance_label(record=record, source_url=source_url)
