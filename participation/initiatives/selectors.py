"""Reads of the initiatives: filtered selections, cards, map markers, exports, statistics, related initiatives.

Every function runs a fixed number of queries whatever the number of initiatives (prefetching, key → label caches).
"""

from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participation.core.filters import ListFilter, filter_state
from participation.core.models import (
    Audience,
    Commune,
    Format,
    OrganiserType,
    ParticipationLevel,
    Theme,
)
from participation.core.selectors import pages_in_language, vocabulary_labels
from participation.initiatives.models import Initiative, InitiativeIndexPage, InitiativeTranslation, Status
from participation.toolbox.models import ToolboxSheetPage

FIRST_YEAR = 2019
OUTDATED_AFTER_DAYS = 365


def method_choices():
    """(French slug, title in the active language) of the method sheets: the slug is the stable key."""
    methods = ToolboxSheetPage.objects.filter(kind="method", locale__language_code=settings.LANGUAGE_CODE).live()
    sources = dict(methods.values_list("translation_key", "slug"))
    titles = dict(
        ToolboxSheetPage.objects.filter(translation_key__in=sources, locale__language_code=get_language())
        .live()
        .values_list("translation_key", "title")
    )
    return sorted(((slug, titles.get(key, slug)) for key, slug in sources.items()), key=lambda choice: choice[1])


def year_choices():
    return [(year, year) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


INITIATIVE_FILTERS = [
    ListFilter("commune", _("Commune"), "communes__key", Commune),
    ListFilter("theme", _("Theme"), "themes__key", Theme),
    ListFilter("level", _("Participation level"), "participation_level__key", ParticipationLevel),
    ListFilter("method", _("Method"), "methods__slug", choices_function=method_choices),
    ListFilter("organiser", _("Organiser type"), "organiser_type__key", OrganiserType),
    ListFilter("audience", _("Audience"), "audiences__key", Audience),
    ListFilter("status", _("Status"), "status", choices_function=lambda: Status.choices),
    ListFilter("year", _("Year"), "start_date__year", choices_function=year_choices),
    ListFilter("format", _("Format"), "format__key", Format),
]


def initiative_selection(*, params):
    """The filter state and the published initiatives it selects, free-text search (`q`) included."""
    state = filter_state(filters=INITIATIVE_FILTERS, params=params)
    initiatives = state.apply(Initiative.objects.published())
    query = " ".join(params.get("q", "").split())[:100]
    if query:
        matching = InitiativeTranslation.objects.filter(Q(title__icontains=query) | Q(summary__icontains=query)).values(
            "initiative_id"
        )
        initiatives = initiatives.filter(Q(pk__in=matching) | Q(organisers__icontains=query))
    return state, query, initiatives


INDEX_URL_CACHE_SECONDS = 300


def index_url(language):
    """The address of the map in `language` (cached; cleared when the map page is published or moved)."""

    def find():
        page = InitiativeIndexPage.objects.filter(locale__language_code=language).live().first()
        return page.url if page else ""

    return cache.get_or_set(f"initiatives:index-url:{language}", find, INDEX_URL_CACHE_SECONDS)


def index_url_clear():
    cache.delete_many([f"initiatives:index-url:{code}" for code, _name in settings.LANGUAGES])


def initiative_url(*, initiative, language, base_url=None, slug=None):
    if base_url is None:
        base_url = index_url(language)
    if slug is None:
        text = initiative.text(language)
        slug = text.slug if text else ""
    return f"{base_url}{initiative.pk}-{slug}/"


def _texts(initiatives, language):
    """initiative id → translation in `language`, or in the original language (one query)."""
    rows = InitiativeTranslation.objects.filter(initiative__in=initiatives.values("pk")).values(
        "initiative_id", "language", "title", "slug", "summary", "initiative__original_language"
    )
    texts = {}
    for row in rows:
        current = texts.get(row["initiative_id"])
        if row["language"] == language or (current is None and row["language"] == row["initiative__original_language"]):
            texts[row["initiative_id"]] = row
    return texts


def initiative_cards(*, initiatives, language, base_url):
    """What a list shows of each initiative, in `language` where a text exists (with `lang` otherwise)."""
    texts = _texts(initiatives, language)
    initiatives = list(initiatives.prefetch_related("communes", "themes"))
    communes = vocabulary_labels(model=Commune, language=language)
    themes = vocabulary_labels(model=Theme, language=language)
    statuses = dict(Status.choices)
    cards = []
    for initiative in initiatives:
        text = texts.get(initiative.pk) or {
            "title": f"#{initiative.pk}",
            "slug": "",
            "summary": "",
            "language": language,
        }
        cards.append(
            {
                "pk": initiative.pk,
                "url": f"{base_url}{initiative.pk}-{text['slug']}/",
                "title": text["title"],
                "summary": text["summary"],
                "lang": text["language"],
                "communes": [communes.get(c.key, c.label) for c in initiative.communes.all()],
                "themes": [themes.get(t.key, t.label) for t in initiative.themes.all()],
                "status": statuses.get(initiative.status, ""),
                "year": initiative.start_date.year if initiative.start_date else None,
                "is_demo": initiative.is_demo,
            }
        )
    return cards


def initiative_markers(*, initiatives, language):
    """[id, latitude, longitude, title, slug] per initiative: the compact data of the map (two queries)."""
    rows = list(initiatives.order_by("pk").values_list("pk", "latitude", "longitude"))
    texts = _texts(initiatives, language)
    return [[pk, float(lat), float(lon), texts[pk]["title"], texts[pk]["slug"]] for pk, lat, lon in rows if pk in texts]


EXPORT_FIELDS = [
    "id",
    "url",
    "title",
    "summary",
    "text_language",
    "original_language",
    "communes",
    "latitude",
    "longitude",
    "geographic_scope",
    "organisers",
    "organiser_type",
    "organiser_scope",
    "partners",
    "themes",
    "participation_level",
    "methods",
    "audiences",
    "recruitment",
    "participants_count",
    "format",
    "process_languages",
    "start_date",
    "end_date",
    "status",
    "budget_band",
    "providers",
    "purchasing_lot",
    "evaluation",
    "impact_evidence",
    "last_verified",
    "is_demo",
]


def _keys_by_initiative(initiatives, relation, key_lookup):
    """initiative id → keys of a many-to-many relation, read from its link table in one query."""
    through = getattr(Initiative, relation).through
    keys = {}
    rows = through.objects.filter(initiative__in=initiatives.values("pk")).order_by("pk")
    for initiative_id, key in rows.values_list("initiative_id", key_lookup):
        keys.setdefault(initiative_id, []).append(key)
    return keys


def initiative_export_rows(*, initiatives, language, absolute_base_url):
    """One dict per initiative with the stable keys of EXPORT_FIELDS: public facts only, vocabulary keys not labels.

    Reads plain values (no model instances): a constant number of queries and little work per initiative."""
    texts = _texts(initiatives, language)
    related = {
        "communes": _keys_by_initiative(initiatives, "communes", "commune__key"),
        "themes": _keys_by_initiative(initiatives, "themes", "theme__key"),
        "audiences": _keys_by_initiative(initiatives, "audiences", "audience__key"),
        "methods": _keys_by_initiative(initiatives, "methods", "toolboxsheetpage__slug"),
    }
    columns = {
        "id": "pk",
        "original_language": "original_language",
        "latitude": "latitude",
        "longitude": "longitude",
        "geographic_scope": "geographic_scope__key",
        "organisers": "organisers",
        "organiser_type": "organiser_type__key",
        "organiser_scope": "organiser_scope",
        "partners": "partners",
        "participation_level": "participation_level__key",
        "recruitment": "recruitment__key",
        "participants_count": "participants_count",
        "format": "format__key",
        "process_languages": "process_languages",
        "start_date": "start_date",
        "end_date": "end_date",
        "status": "status",
        "budget_band": "budget_band__key",
        "providers": "providers",
        "purchasing_lot": "purchasing_lot__number",
        "evaluation": "evaluation",
        "impact_evidence": "impact_evidence",
        "last_verified": "last_verified",
        "is_demo": "is_demo",
    }
    rows = []
    for values in initiatives.values(*columns.values()):
        row = {field: values[lookup] for field, lookup in columns.items()}
        text = texts.get(row["id"], {})
        row.update(
            url=f"{absolute_base_url}{row['id']}-{text.get('slug', '')}/",
            title=text.get("title", ""),
            summary=text.get("summary", ""),
            text_language=text.get("language", ""),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            evaluation=row["evaluation"] or None,
            **{name: keys.get(row["id"], []) for name, keys in related.items()},
        )
        for field in ("start_date", "end_date", "last_verified"):
            row[field] = row[field].isoformat() if row[field] else None
        rows.append({field: row[field] for field in EXPORT_FIELDS})
    return rows


def initiative_for_detail(*, pk):
    return (
        Initiative.objects.published()
        .select_related(
            "geographic_scope", "organiser_type", "participation_level", "recruitment", "format", "budget_band"
        )
        .prefetch_related(
            "translations", "communes", "themes", "audiences", "methods", "steps", "links", "images__image"
        )
        .filter(pk=pk)
        .first()
    )


def initiative_articles(*, initiative, locale):
    """Articles that link this initiative, in the page's language (through the reverse relation `articles`)."""
    related = getattr(initiative, "articles", None)
    return list(pages_in_language(pages=related.all(), locale=locale)) if related is not None else []


def initiative_is_outdated(initiative):
    return (timezone.localdate() - initiative.last_verified).days > OUTDATED_AFTER_DAYS


def related_initiatives(*, initiative, limit=4):
    """Published initiatives sharing a method, then a theme, then a commune with this one."""
    others = Initiative.objects.published().exclude(pk=initiative.pk)
    method_ids = [m.pk for m in initiative.methods.all()]
    theme_ids = [t.pk for t in initiative.themes.all()]
    commune_ids = [c.pk for c in initiative.communes.all()]
    found = []
    for condition in (Q(methods__in=method_ids), Q(themes__in=theme_ids), Q(communes__in=commune_ids)):
        if len(found) >= limit:
            break
        found += list(
            others.filter(condition)
            .exclude(pk__in=[i.pk for i in found])
            .distinct()
            .order_by("-start_date")[: limit - len(found)]
        )
    return found


def method_sheets(*, initiative, language):
    """The toolbox sheets of the initiative's methods, in `language` where translated."""
    keys = [m.translation_key for m in initiative.methods.all()]
    return list(
        ToolboxSheetPage.objects.filter(translation_key__in=keys, locale__language_code=language)
        .live()
        .order_by("title")
    )


def count_by(*, initiatives, field, model=None, choices=None, language=None):
    """(label, count) pairs for a vocabulary or choice field, largest first; keys with no initiative left out."""
    lookup = f"{field}__key" if model else field
    counts = Counter(initiatives.values_list(lookup, flat=True))
    counts.pop(None, None)
    if model:
        labels = vocabulary_labels(model=model, language=language or get_language())
    else:
        labels = {key: str(label) for key, label in choices}
    return sorted(
        ((labels.get(key, str(key)), count) for key, count in counts.items()), key=lambda item: (-item[1], item[0])
    )


def count_by_year(*, initiatives):
    counts = Counter(date.year for date in initiatives.exclude(start_date=None).values_list("start_date", flat=True))
    return [(str(year), counts[year]) for year in sorted(counts)]


def statistics(*, initiatives, language):
    return {
        "total": initiatives.count(),
        "by_commune": count_by(initiatives=initiatives, field="communes", model=Commune, language=language),
        "by_theme": count_by(initiatives=initiatives, field="themes", model=Theme, language=language),
        "by_level": count_by(
            initiatives=initiatives, field="participation_level", model=ParticipationLevel, language=language
        ),
        "by_organiser_type": count_by(
            initiatives=initiatives, field="organiser_type", model=OrganiserType, language=language
        ),
        "by_year": count_by_year(initiatives=initiatives),
    }
