"""Route handlers of the map of initiatives (InitiativeIndexPage routes). They read through selectors only."""

import csv
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from participation.core.models import Commune, Theme
from participation.core.selectors import vocabulary_labels
from participation.core.views import route_context
from participation.initiatives import selectors
from participation.initiatives.models import Evaluation, OrganiserScope, Status

LIST_PAGE_SIZE = 50
PUBLIC_CACHE_SECONDS = 300


def _public(response):
    patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    return response


def _query_without_page(params):
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


def initiative_map(request, *, index):
    state, query, initiatives = selectors.initiative_selection(params=request.GET)
    language = get_language()
    paginator = Paginator(initiatives.order_by("-start_date", "-pk").values_list("pk", flat=True), LIST_PAGE_SIZE)
    page_number = request.GET.get("page", "1")
    page = paginator.get_page(page_number if page_number.isdigit() else 1)
    cards = selectors.initiative_cards(
        initiatives=initiatives.model.objects.filter(pk__in=list(page.object_list)).order_by("-start_date", "-pk"),
        language=language,
        base_url=index.url,
    )
    query_string = _query_without_page(request.GET)
    context = route_context(
        request,
        index,
        filters=state,
        query=query,
        cards=cards,
        paginator=paginator,
        list_page=page,
        query_string=query_string,
        markers_url=index.url + index.reverse_subpage("markers") + (f"?{query_string}" if query_string else ""),
        geojson_url=index.url + index.reverse_subpage("export_geojson") + (f"?{query_string}" if query_string else ""),
        csv_url=index.url + index.reverse_subpage("export_csv") + (f"?{query_string}" if query_string else ""),
        statistics_url=index.url + index.reverse_subpage("statistics"),
        data_licence=settings.DATA_LICENCE,
    )
    return TemplateResponse(request, "initiatives/initiative_index_page.html", context)


@gzip_page
def initiative_markers(request, *, index):
    _state, _query, initiatives = selectors.initiative_selection(params=request.GET)
    data = {
        "base_url": index.url,
        "markers": selectors.initiative_markers(initiatives=initiatives, language=get_language()),
    }
    return _public(JsonResponse(data, json_dumps_params={"separators": (",", ":"), "ensure_ascii": False}))


@gzip_page
def initiative_export(request, *, index, export_format):
    _state, _query, initiatives = selectors.initiative_selection(params=request.GET)
    rows = selectors.initiative_export_rows(
        initiatives=initiatives.order_by("pk"),
        language=get_language(),
        absolute_base_url=request.build_absolute_uri(index.url),
    )
    licence = settings.DATA_LICENCE
    if export_format == "geojson":
        collection = {
            "type": "FeatureCollection",
            "license": licence["name"],
            "license_url": licence["url"],
            "features": [
                {
                    "type": "Feature",
                    "id": row["id"],
                    "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                    "properties": row,
                }
                for row in rows
            ],
        }
        response = HttpResponse(
            json.dumps(collection, ensure_ascii=False, separators=(",", ":")), content_type="application/geo+json"
        )
        filename = "initiatives.geojson"
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=selectors.EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "|".join(value) if isinstance(value, list) else value for key, value in row.items()})
        filename = "initiatives.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{licence["url"]}>; rel="license"'
    return _public(response)


def initiative_detail(request, *, index, pk, slug):
    initiative = selectors.initiative_for_detail(pk=pk)
    if initiative is None:
        raise Http404
    text = initiative.text(get_language())
    if text.slug != slug:
        return HttpResponsePermanentRedirect(f"{index.url}{initiative.pk}-{text.slug}/")
    return initiative_page(request, index=index, initiative=initiative)


def initiative_page(request, *, index, initiative, preview=False):
    """The detail page of an initiative; moderators preview one that is not published yet with `preview`."""
    language = get_language()
    text = initiative.text(language)
    original = initiative.text(initiative.original_language)
    sections_text = text if text.sections() else original
    context = route_context(
        request,
        index,
        initiative=initiative,
        text=text,
        sections=sections_text.sections(),
        sections_language=sections_text.language,
        is_fallback=text.language != language,
        sections_fallback=sections_text.language != language,
        outdated=selectors.initiative_is_outdated(initiative),
        facts=_facts(initiative, language),
        steps=[(step.date, step.label(language)) for step in initiative.steps.all()],
        method_sheets=selectors.method_sheets(initiative=initiative, language=language),
        articles=selectors.initiative_articles(initiative=initiative, locale=index.locale),
        related=selectors.initiative_cards(
            initiatives=initiative.__class__.objects.filter(
                pk__in=[i.pk for i in selectors.related_initiatives(initiative=initiative)]
            ),
            language=language,
            base_url=index.url,
        ),
        json_ld=_json_ld(request, initiative, text, index),
        alternates_override=_alternates(request, initiative, index),
        preview=preview,
    )
    return TemplateResponse(request, "initiatives/initiative_detail.html", context)


def _alternates(request, initiative, index):
    """The detail page in each language: the translated index's address with that language's slug."""
    translations = {t.language: t for t in initiative.translations.all()}
    alternates = []
    for code, name in settings.LANGUAGES:
        page = index.get_translation_or_none(index.locale.__class__.objects.get(language_code=code))
        text = translations.get(code) or translations.get(initiative.original_language)
        if page is None:
            continue
        url = f"{page.url}{initiative.pk}-{text.slug}/"
        alternates.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "exists": code in translations,
                "absolute_url": request.build_absolute_uri(url),
            }
        )
    return alternates


def _facts(initiative, language):
    """The public facts as (label, value) rows for the detail page, empty ones left out."""

    def labels(model, terms):
        names = vocabulary_labels(model=model, language=language)
        return ", ".join(names.get(term.key, term.label) for term in terms)

    rows = [
        (_("Communes"), labels(Commune, initiative.communes.all())),
        (_("Geographic scope"), initiative.geographic_scope.display_label if initiative.geographic_scope else ""),
        (_("Organisers"), initiative.organisers),
        (_("Organiser type"), initiative.organiser_type.display_label if initiative.organiser_type else ""),
        (_("Scope of the organiser"), dict(OrganiserScope.choices).get(initiative.organiser_scope, "")),
        (_("Partners"), initiative.partners),
        (_("Themes"), labels(Theme, initiative.themes.all())),
        (
            _("Participation level"),
            initiative.participation_level.display_label if initiative.participation_level else "",
        ),
        (_("Audiences"), ", ".join(a.display_label for a in initiative.audiences.all())),
        (_("Recruitment of participants"), initiative.recruitment.display_label if initiative.recruitment else ""),
        (_("Number of participants"), initiative.participants_count or ""),
        (_("Format"), initiative.format.display_label if initiative.format else ""),
        (
            _("Languages of the process"),
            ", ".join(dict(settings.LANGUAGES).get(c, c) for c in initiative.process_languages),
        ),
        (_("Status"), dict(Status.choices).get(initiative.status, "")),
        (_("Budget"), initiative.budget_band.display_label if initiative.budget_band else ""),
        (_("Providers involved"), initiative.providers),
        (_("Purchasing-centre lot"), str(initiative.purchasing_lot) if initiative.purchasing_lot else ""),
        (_("Evaluation"), dict(Evaluation.choices).get(initiative.evaluation, "")),
        (
            _("Evidence of impact"),
            {True: _("Yes"), False: _("No")}.get(initiative.impact_evidence, ""),
        ),
    ]
    return [(label, value) for label, value in rows if value not in ("", None)]


def _json_ld(request, initiative, text, index):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": text.title,
        "description": text.summary,
        "url": request.build_absolute_uri(f"{index.url}{initiative.pk}-{text.slug}/"),
        "inLanguage": text.language,
        "eventStatus": "https://schema.org/EventScheduled",
        "organizer": {"@type": "Organization", "name": initiative.organisers},
        "location": {
            "@type": "Place",
            "name": ", ".join(c.display_label for c in initiative.communes.all()),
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": float(initiative.latitude),
                "longitude": float(initiative.longitude),
            },
            "address": {"@type": "PostalAddress", "addressRegion": "Brussels-Capital Region", "addressCountry": "BE"},
        },
        "about": [t.display_label for t in initiative.themes.all()],
    }
    if initiative.start_date:
        data["startDate"] = initiative.start_date.isoformat()
    if initiative.end_date:
        data["endDate"] = initiative.end_date.isoformat()
    return data


def commune_detail(request, *, index, key):
    commune = Commune.objects.filter(key=key, locale__language_code=get_language()).first()
    if commune is None:
        raise Http404
    language = get_language()
    initiatives = selectors.Initiative.objects.published().filter(communes__key=key).distinct()
    figures = selectors.statistics(initiatives=initiatives, language=language)
    context = route_context(
        request,
        index,
        commune=commune,
        figures=figures,
        by_status=selectors.count_by(initiatives=initiatives, field="status", choices=Status.choices),
        by_scope=selectors.count_by(initiatives=initiatives, field="organiser_scope", choices=OrganiserScope.choices),
        cards=selectors.initiative_cards(
            initiatives=initiatives.order_by("-start_date"), language=language, base_url=index.url
        ),
        filtered_url=f"{index.url}?commune={key}",
    )
    return _public(TemplateResponse(request, "initiatives/commune.html", context))


def initiative_statistics(request, *, index):
    language = get_language()
    initiatives = selectors.Initiative.objects.published()
    figures = selectors.statistics(initiatives=initiatives, language=language)
    charts = [
        ("communes", _("Initiatives by commune"), _("Commune"), figures["by_commune"]),
        ("themes", _("Initiatives by theme"), _("Theme"), figures["by_theme"]),
        ("levels", _("Initiatives by participation level"), _("Participation level"), figures["by_level"]),
        ("organisers", _("Initiatives by organiser type"), _("Organiser type"), figures["by_organiser_type"]),
        ("years", _("Initiatives by starting year"), _("Year"), figures["by_year"]),
    ]
    communes = Commune.objects.filter(locale__language_code=language).order_by("label")
    context = route_context(
        request,
        index,
        figures=figures,
        commune_links=[
            (commune.label, index.url + index.reverse_subpage("commune", kwargs={"key": commune.key}))
            for commune in communes
        ],
        charts=[
            {
                "id": key,
                "caption": caption,
                "label_heading": heading,
                "rows": rows,
                "maximum": max((count for _label, count in rows), default=1),
            }
            for key, caption, heading, rows in charts
        ],
    )
    return _public(TemplateResponse(request, "initiatives/statistics.html", context))
