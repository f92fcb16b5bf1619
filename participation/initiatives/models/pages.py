"""The map of initiatives: one page per language, whose routes — the map with its list, the map data, the open
exports, the statistics, the commune pages and each initiative's page — render through the page and read through
selectors."""

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import path, re_path
from wagtail.models import Page

from participation.core.models import Commune, RoutedPageMixin, TranslatedPageMixin
from participation.core.selectors import term_key_by_slug, term_slugs
from participation.initiatives import exports, selectors
from participation.initiatives.models.records import NEWEST_FIRST, Initiative, OrganiserScope, Status

PAGE_CACHE_SECONDS = 300


class InitiativeIndexPage(RoutedPageMixin, TranslatedPageMixin, Page):
    """The map of initiatives. The map with its list, the detail pages, the commune pages, the statistics and the
    exports are routes under it."""

    lead = models.CharField(gettext_lazy("lead"), max_length=300)
    menu_title = models.CharField(gettext_lazy("menu title"), max_length=60, blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = gettext_lazy("map of initiatives")

    @classmethod
    def for_language(cls, language):
        """The live map page of a language (its address cached; cleared when a map page is published or moved)."""
        key = f"initiatives:index-page:{language}"
        pk = cache.get(key)
        if pk is None:
            pk = cls.objects.filter(locale__language_code=language).live().values_list("pk", flat=True).first() or 0
            cache.set(key, pk, PAGE_CACHE_SECONDS)
        return cls.objects.filter(pk=pk).first() if pk else None

    @classmethod
    def for_language_clear(cls):
        cache.delete_many([f"initiatives:index-page:{code}" for code, _name in settings.LANGUAGES])

    def detail_url(self, initiative, language=None):
        """The address of an initiative's page under this map, with its slug in `language` (or its original one)."""
        text = initiative.text(language or self.locale.language_code)
        return self.route_url("detail", pk=initiative.pk, slug=text.slug if text else "")

    def detail_url_builder(self):
        """`(pk, slug) -> address` of initiatives' pages under this map, for lists: the map's own address is read
        once (its route takes no localised argument), not once a card."""
        base, resolver = self.url, self.get_resolver()
        return lambda pk, slug: base + resolver.reverse("detail", pk=pk, slug=slug)

    def _filtered_route_url(self, name, query_string):
        return self.route_url(name) + (f"?{query_string}" if query_string else "")

    @path("")
    def map(self, request):
        state, query, initiatives = selectors.initiative_selection(params=request.GET)
        summary = selectors.initiative_selection_summary(initiatives=initiatives)
        list_page = selectors.initiative_list_page(initiatives=initiatives, params=request.GET)
        query_string = selectors.query_without_page(request.GET)
        return self.render(
            request,
            context_overrides={
                "filters": state,
                "query": query,
                "cards": selectors.initiative_cards(
                    initiatives=Initiative.objects.filter(pk__in=list_page.ids).order_by(*NEWEST_FIRST),
                    language=get_language(),
                    index=self,
                ),
                "total": summary.total,
                "demo_count": summary.demo,
                "list_page": list_page,
                "query_string": query_string,
                "markers_url": self._filtered_route_url("markers", query_string),
                "map_bounds": summary.bounds,
                "geojson_url": self._filtered_route_url("export_geojson", query_string),
                "csv_url": self._filtered_route_url("export_csv", query_string),
                "csv_metadata_url": self.route_url("export_csv_metadata"),
                "statistics_url": self.route_url("statistics"),
                "data_licence": settings.DATA_LICENCE,
            },
        )

    @path("markers/", name="markers")
    @method_decorator(gzip_page)
    def markers(self, request):
        filters, query, initiatives = selectors.initiative_selection(params=request.GET)
        data = selectors.initiative_map_data(
            initiatives=initiatives,
            view=selectors.MapView.from_params(request.GET),
            language=get_language(),
            kept_selection=selectors.map_kept_selection(filters=filters, query=query),
        )
        return JsonResponse(
            {"base_url": self.url, "total": data.total, "markers": data.markers, "clusters": data.clusters},
            json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
        )

    @path("export/geojson/", name="export_geojson")
    @method_decorator(gzip_page)
    def export_geojson(self, request):
        return exports.initiatives_response(request=request, index=self, export_format="geojson")

    @path("export/csv/", name="export_csv")
    @method_decorator(gzip_page)
    def export_csv(self, request):
        return exports.initiatives_response(request=request, index=self, export_format="csv")

    @path("export/csv/metadata/", name="export_csv_metadata")
    def export_csv_metadata(self, request):
        """The CSV's columns described in FR, NL and EN (CSVW metadata), linked from the CSV's `Link` header."""
        metadata = exports.csv_metadata(
            csv_url=request.build_absolute_uri(self.route_url("export_csv")),
            page_url=request.build_absolute_uri(self.url),
            licence=settings.DATA_LICENCE,
        )
        return JsonResponse(
            metadata,
            content_type=exports.CSV_METADATA_TYPE,
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )

    @path(gettext_lazy("statistics/"), name="statistics")
    def statistics(self, request):
        language = get_language()
        figures = selectors.initiative_figures_compute(initiatives=Initiative.objects.published(), language=language)
        charts = [
            ("communes", _("Initiatives by commune"), _("Commune"), figures["by_commune"]),
            ("themes", _("Initiatives by theme"), _("Theme"), figures["by_theme"]),
            ("levels", _("Initiatives by participation level"), _("Participation level"), figures["by_level"]),
            ("organisers", _("Initiatives by organiser type"), _("Organiser type"), figures["by_organiser_type"]),
            ("years", _("Initiatives by starting year"), _("Year"), figures["by_year"]),
        ]
        communes = Commune.objects.filter(locale__language_code=language).order_by("label")
        return self.render(
            request,
            template="initiatives/statistics.html",
            context_overrides={
                "figures": figures,
                "commune_links": [(commune.label, self.route_url("commune", key=commune.key)) for commune in communes],
                "charts": [
                    {
                        "id": key,
                        "caption": caption,
                        "label_heading": heading,
                        "rows": rows,
                        "maximum": max((count for _label, count in rows), default=1),
                    }
                    for key, caption, heading, rows in charts
                ],
            },
        )

    def route_localize(self, name, kwargs):
        if name == "commune":
            language = self.locale.language_code
            key, _exact = term_key_by_slug(model=Commune, slug=kwargs["key"], language=language)
            if key is None:
                raise Http404
            return {"key": term_slugs(model=Commune, language=language)[key]}
        return kwargs

    def route_alternate_url(self, request):
        """An initiative's page has a slug per language (its title's): the alternate is built with this one's."""
        match = getattr(request, "routable_resolver_match", None)
        if match is not None and match.url_name == "detail":
            initiative = Initiative.objects.filter(pk=int(match.kwargs["pk"])).first()
            return self.detail_url(initiative) if initiative else None
        return super().route_alternate_url(request)

    @path(gettext_lazy("communes/<slug:key>/"), name="commune")
    def commune(self, request, key):
        language = get_language()
        key, exact = term_key_by_slug(model=Commune, slug=key, language=language)
        commune = Commune.objects.filter(key=key, locale__language_code=language).first() if key else None
        if commune is None:
            raise Http404
        if not exact:
            return self.route_redirect(request, "commune", key=key)
        initiatives = Initiative.objects.published().filter(communes__key=key).distinct()
        return self.render(
            request,
            template="initiatives/commune.html",
            context_overrides={
                "commune": commune,
                "figures": selectors.initiative_figures_compute(initiatives=initiatives, language=language),
                "by_status": selectors.initiatives_tally(
                    initiatives=initiatives,
                    field="status",
                    choices=Status.choices,
                    blank_label=_("Status not given"),
                ),
                "by_scope": selectors.initiatives_tally(
                    initiatives=initiatives, field="organiser_scope", choices=OrganiserScope.choices
                ),
                "cards": selectors.initiative_cards(
                    initiatives=initiatives.order_by(*NEWEST_FIRST), language=language, index=self
                ),
                "filtered_url": f"{self.url}?commune={key}",
                "structured_data": selectors.commune_structured_data(request=request, index=self, commune=commune),
            },
        )

    @re_path(r"^(?P<pk>\d+)-(?P<slug>[-a-z0-9]*)/$", name="detail")
    def detail(self, request, pk, slug):
        initiative = selectors.initiative_for_detail(pk=int(pk))
        if initiative is None:
            raise Http404
        text = initiative.text(get_language())
        if text.slug != slug:
            return HttpResponsePermanentRedirect(self.detail_url(initiative, get_language()))
        return self.detail_response(request, initiative)

    def detail_response(self, request, initiative, preview=False):
        """An initiative's page; Wagtail's preview shows a version that is not published (yet) with `preview`."""
        return self.render(
            request,
            template="initiatives/initiative_detail.html",
            context_overrides=selectors.initiative_page_context(
                request=request, index=self, initiative=initiative, preview=preview
            ),
        )
