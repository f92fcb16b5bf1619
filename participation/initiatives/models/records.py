"""An initiative: a participatory process run in Brussels, recorded so that others can learn from it.

Facts that do not depend on language live on `Initiative`; texts live on one `InitiativeTranslation` per language
(at least the original language). The contact of the person who shared it is private: it never leaves the admin.

Initiatives go through Wagtail's own moderation machinery: a draft, live or with unpublished changes
(`DraftStateMixin`), every change kept as a revision that moderators compare (`RevisionMixin`) and preview as its
public page (`PreviewableMixin`) before they publish it.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin
from wagtail.search import index

from participation.core.models import (
    CANONICAL_TERMS,
    Audience,
    BudgetBand,
    Commune,
    Format,
    GeographicScope,
    OrganiserType,
    ParticipationLevel,
    PurchasingLot,
    RecruitmentMethod,
    Theme,
)
from participation.core.selectors import RelatedLink
from participation.initiatives.map_grid import map_pixel_x, map_pixel_y

# The Region's extent (../shared/facts/brussels.md): a point outside this box is certainly not in Brussels.
REGION_BOUNDS = {"lat": (50.76, 50.92), "lon": (4.24, 4.48)}
LANGUAGE_CHOICES = settings.LANGUAGES


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    FINISHED = "finished", _("Finished")


class OrganiserScope(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal")
    REGIONAL = "regional", _("Regional")


class Evaluation(models.TextChoices):
    NONE = "none", _("No formal evaluation")
    SELF = "self", _("Self-evaluation")
    EXTERNAL = "external", _("External evaluation")
    PARTICIPATORY = "participatory", _("Participatory evaluation")


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(live=True)


def _terms(model, verbose_name):
    return ParentalManyToManyField(
        model, verbose_name=verbose_name, blank=True, limit_choices_to=CANONICAL_TERMS, related_name="initiatives"
    )


def _term(model, verbose_name):
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to=CANONICAL_TERMS,
        related_name="initiatives",
    )


# Newest first, the undated last on every database (PostgreSQL puts NULLs first in a descending order, SQLite last).
NEWEST_FIRST = (models.F("start_date").desc(nulls_last=True), "-pk")


class Initiative(DraftStateMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel):
    original_language = models.CharField(_("original language"), max_length=2, choices=LANGUAGE_CHOICES)
    is_demo = models.BooleanField(
        _("demo content"), default=False, help_text=_("Invented for the demonstration; shown with a notice.")
    )

    # Where
    communes = _terms(Commune, _("communes"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        validators=[MinValueValidator(REGION_BOUNDS["lat"][0]), MaxValueValidator(REGION_BOUNDS["lat"][1])],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=6,
        validators=[MinValueValidator(REGION_BOUNDS["lon"][0]), MaxValueValidator(REGION_BOUNDS["lon"][1])],
    )
    # Where the initiative stands on the world map of the closest zoom level, in Web Mercator pixels (2 ** 27 a side:
    # 256-pixel tiles at zoom 19), computed by the database on every write, whatever writes (a form, the importer, a
    # bulk insert, an update()). The map groups the initiatives of a view on these integers (decision 0017).
    map_x = models.GeneratedField(expression=map_pixel_x(), output_field=models.IntegerField(), db_persist=True)
    map_y = models.GeneratedField(expression=map_pixel_y(), output_field=models.IntegerField(), db_persist=True)
    geographic_scope = _term(GeographicScope, _("geographic scope"))

    # Who
    organisers = models.CharField(_("organisers"), max_length=255)
    organiser_type = _term(OrganiserType, _("organiser type"))
    organiser_scope = models.CharField(_("scope of the organiser"), max_length=16, choices=OrganiserScope.choices)
    partners = models.TextField(_("partners"), blank=True)

    # What and how
    themes = _terms(Theme, _("themes"))
    participation_level = _term(ParticipationLevel, _("participation level"))
    methods = ParentalManyToManyField(
        "toolbox.ToolboxSheetPage",
        verbose_name=_("methods used"),
        blank=True,
        related_name="initiatives",
        limit_choices_to={"kind": "method", "locale__language_code": settings.LANGUAGE_CODE},
    )
    audiences = _terms(Audience, _("audiences"))
    recruitment = _term(RecruitmentMethod, _("recruitment of participants"))
    participants_count = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    format = _term(Format, _("format"))
    process_languages = models.JSONField(
        _("languages of the process"), default=list, blank=True, help_text=_("Language codes: fr, nl, en.")
    )

    # When
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, blank=True, help_text=_("Leave empty when unknown.")
    )

    # Means and results
    budget_band = _term(BudgetBand, _("budget band"))
    providers = models.CharField(_("providers involved"), max_length=255, blank=True)
    purchasing_lot = _term(PurchasingLot, _("purchasing-centre lot"))
    evaluation = models.CharField(_("evaluation"), max_length=16, choices=Evaluation.choices, blank=True)
    impact_evidence = models.BooleanField(_("evidence of impact"), null=True, blank=True)
    last_verified = models.DateField(_("information last verified"), default=timezone.localdate)
    freshness_asked_at = models.DateTimeField(
        _("contact last asked whether the information is up to date"), null=True, blank=True, editable=False
    )
    import_reference = models.CharField(
        _("import reference"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The identifier of the row this initiative was imported from (questionnaire export)."),
    )

    # Private: never shown publicly, exported or sent anywhere but to moderators.
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_organisation = models.CharField(_("contact organisation"), max_length=200, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="initiative")

    objects = InitiativeQuerySet.as_manager()

    search_fields = [
        index.SearchField("organisers"),
        index.AutocompleteField("organisers"),
        index.RelatedFields("translations", [index.SearchField("title"), index.SearchField("summary")]),
        index.FilterField("live"),
    ]

    panels_texts = [
        FieldPanel("original_language"),
        InlinePanel("translations", heading=_("Texts by language"), label=_("language version"), min_num=1),
    ]
    panels_facts = [
        MultiFieldPanel(
            [
                FieldPanel("communes"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("geographic_scope"),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organisers"),
                FieldRowPanel([FieldPanel("organiser_type"), FieldPanel("organiser_scope")]),
                FieldPanel("partners"),
            ],
            heading=_("Who"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("themes"),
                FieldPanel("participation_level"),
                FieldPanel("methods"),
                FieldPanel("audiences"),
                FieldRowPanel([FieldPanel("recruitment"), FieldPanel("participants_count")]),
                FieldRowPanel([FieldPanel("format"), FieldPanel("process_languages")]),
            ],
            heading=_("What and how"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("status")])],
            heading=_("When"),
        ),
        InlinePanel("steps", heading=_("Timeline"), label=_("step")),
        MultiFieldPanel(
            [
                FieldPanel("budget_band"),
                FieldRowPanel([FieldPanel("providers"), FieldPanel("purchasing_lot")]),
                FieldRowPanel([FieldPanel("evaluation"), FieldPanel("impact_evidence")]),
            ],
            heading=_("Means and results"),
        ),
        InlinePanel("images", heading=_("Images"), label=_("image")),
        InlinePanel("links", heading=_("Links"), label=_("link")),
    ]
    panels_admin = [
        FieldPanel("is_demo"),
        FieldPanel("last_verified"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_organisation")],
            heading=_("Contact of the person who shared it (private)"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(panels_texts, heading=_("Texts")),
            ObjectList(panels_facts, heading=_("Facts")),
            ObjectList(panels_admin, heading=_("Moderation and contact")),
        ]
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        # Strings, not NEWEST_FIRST: modelcluster sorts related objects by these names. Lists order by NEWEST_FIRST.
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["live", "start_date"]),
            # The map page's bounds of a selection (decision 0017).
            models.Index(fields=["latitude", "longitude", "live"], name="initiative_position"),
            # The map groups the initiatives of its view from this index alone (decision 0017); `live` after the
            # pixels, as SQLite reads a boolean condition (`WHERE live`) from an index only when it is not first.
            models.Index(fields=["map_y", "map_x", "live", "id"], name="initiative_map_pixel"),
        ]

    def __str__(self):
        text = self.text()
        return text.title if text else f"#{self.pk}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def text(self, language=None):
        """The texts in `language` (the active one by default), or in the original language."""
        translations = {t.language: t for t in self.translations.all()}
        return translations.get(language or get_language()) or translations.get(self.original_language)

    @property
    def revisions(self):
        return self._revisions

    def get_url(self, language=None):
        """The address of its public page in `language` (the active one by default), under that language's map."""
        page = self.map_page(language)
        return page.detail_url(self, language or get_language()) if page else ""

    @classmethod
    def map_page(cls, language=None):
        """The map page of a language (the active one by default), under which initiatives have their address."""
        return apps.get_model("initiatives", "InitiativeIndexPage").for_language(language or get_language())

    def related_link(self, index, language=None):
        """This initiative as an item of a "related" section, titled in `language` or in its original language, with
        its address under the map page `index`."""
        text = self.text(language)
        return RelatedLink(
            url=index.detail_url(self, language), title=text.title, lang=text.language, is_demo=self.is_demo
        )

    def serve_preview(self, request, mode_name):
        """Its public page as it would look with this version's content, in its original language (Wagtail's
        preview of a draft or of a proposed change)."""
        page = apps.get_model("initiatives", "InitiativeIndexPage").for_language(self.original_language)
        with translation.override(self.original_language):
            request.LANGUAGE_CODE = self.original_language
            response = page.detail_response(request, self, preview=True)
            response.render()
        return response


class InitiativeTranslation(Orderable):
    """The texts of an initiative in one language. Narrative sections may stay empty outside the original language."""

    initiative = ParentalKey(Initiative, related_name="translations", on_delete=models.CASCADE)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=False, blank=True)
    summary = models.TextField(_("short summary"), max_length=600)
    problems_objectives = models.TextField(_("problems and objectives"), blank=True)
    history_context = models.TextField(_("history and context"), blank=True)
    organisers_funding = models.TextField(_("organisers and funding"), blank=True)
    recruitment_selection = models.TextField(_("recruitment and selection of participants"), blank=True)
    methods_used = models.TextField(_("methods and tools used"), blank=True)
    how_it_went = models.TextField(_("how it went"), blank=True)
    outcomes_effects = models.TextField(_("influence, outcomes and effects"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    evaluation_text = models.TextField(_("evaluation"), blank=True)
    feedback_text = models.TextField(_("feedback given to participants"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("language"), FieldPanel("title")]),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("problems_objectives"),
        FieldPanel("history_context"),
        FieldPanel("organisers_funding"),
        FieldPanel("recruitment_selection"),
        FieldPanel("methods_used"),
        FieldPanel("how_it_went"),
        FieldPanel("outcomes_effects"),
        FieldPanel("lessons_learned"),
        FieldPanel("evaluation_text"),
        FieldPanel("feedback_text"),
    ]

    SECTION_FIELDS = [
        "problems_objectives",
        "history_context",
        "organisers_funding",
        "recruitment_selection",
        "methods_used",
        "how_it_went",
        "outcomes_effects",
        "lessons_learned",
        "evaluation_text",
        "feedback_text",
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("language version")
        constraints = [models.UniqueConstraint(fields=["initiative", "language"], name="one_text_per_language")]

    def save(self, *args, **kwargs):
        if not self.slug:
            slug = slugify(self.title)
            self.slug = (slug[:60].rsplit("-", 1)[0] if len(slug) > 60 else slug) or "initiative"
        super().save(*args, **kwargs)

    def sections(self):
        return [
            {"field": name, "heading": self._meta.get_field(name).verbose_name, "text": getattr(self, name)}
            for name in self.SECTION_FIELDS
            if getattr(self, name)
        ]


class InitiativeStep(Orderable):
    initiative = ParentalKey(Initiative, related_name="steps", on_delete=models.CASCADE)
    date = models.DateField(_("date"))
    labels = models.JSONField(_("label by language"), default=dict, help_text=_('For example {"fr": "…", "nl": "…"}'))

    panels = [FieldPanel("date"), FieldPanel("labels")]

    class Meta(Orderable.Meta):
        verbose_name = _("step")
        ordering = ["date"]

    def label(self, language):
        return self.labels.get(language) or next(iter(self.labels.values()), "")

    def label_language(self, language):
        """The language `label(language)` is written in, when it is not `language` ("" otherwise)."""
        if self.labels.get(language):
            return ""
        return next((code for code, text in self.labels.items() if text), "")


class InitiativeImage(Orderable):
    initiative = ParentalKey(Initiative, related_name="images", on_delete=models.CASCADE)
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    alt_text = models.CharField(
        _("alternative text"), max_length=250, help_text=_("What the image shows, for people who cannot see it.")
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]


class InitiativeLink(Orderable):
    initiative = ParentalKey(Initiative, related_name="links", on_delete=models.CASCADE)
    url = models.URLField(_("address"))
    label = models.CharField(_("label"), max_length=200)

    panels = [FieldPanel("url"), FieldPanel("label")]


class InitiativeImport(models.Model):
    """A file of initiatives an editor uploaded in the admin (participation.initiatives.admin_views): checked first,
    with nothing written, then imported when the editor confirms. The file is private (never served) and deleted
    once imported; the record keeps who imported what, when, and the counts."""

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    publish = models.BooleanField(_("publish the initiatives"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import of initiatives")
        verbose_name_plural = _("imports of initiatives")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class MapCell(models.Model):
    """A cell of the map's grid at a zoom level and the published initiatives it holds, of the whole catalogue or of
    one value of a filter (decision 0017): the map without filters, or filtered by one theme, one status…, reads these
    few rows instead of grouping the initiatives. Kept by participation.initiatives.services (rebuilt by a background
    job after each change)."""

    # The filters each of whose values keeps its cells (`selection` "theme:mobility"): the map's filters with a few
    # values, a map is often filtered by one of them alone. Query parameter → the lookup of its value.
    KEPT_FILTERS = {
        "status": "status",
        "theme": "themes__key",
        "level": "participation_level__key",
        "format": "format__key",
        "commune": "communes__key",
    }

    selection = models.CharField(max_length=80, default="")  # "" for the whole catalogue, or "parameter:value"
    zoom = models.PositiveSmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    count = models.PositiveIntegerField()
    sum_x = models.BigIntegerField()
    sum_y = models.BigIntegerField()
    first = models.BigIntegerField()  # the smallest id: the initiative of a cell holding one

    class Meta:
        constraints = [models.UniqueConstraint(fields=["selection", "zoom", "y", "x"], name="one_map_cell")]

    def __str__(self):
        return f"{self.selection or '*'} {self.zoom}/{self.x}/{self.y}: {self.count}"


class MapCellsVersion(models.Model):
    """One row: `changed` counts the changes of initiatives, `built` is the count the cells were computed after; the
    cells are read only while the two are equal."""

    changed = models.BigIntegerField(default=0)
    built = models.BigIntegerField(default=-1)

    def __str__(self):
        return f"{self.built}/{self.changed}"
