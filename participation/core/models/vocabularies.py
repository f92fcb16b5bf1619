"""The platform's shared vocabularies: one model per concept, one record per term and language.

Every term has a stable `key` (used in URLs, filters and exports) shared by its translations, and a `label` in its
locale. Content links to the default language's record (`CANONICAL_TERMS` limits the choices to it); a term is
displayed in the active language through the cached key → label map, so a link never depends on the language it was
made in.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index

CANONICAL_TERMS = {"locale__language_code": settings.LANGUAGE_CODE}


class VocabularyTerm(TranslatableMixin, index.Indexed, models.Model):
    key = models.SlugField(
        _("key"),
        max_length=64,
        help_text=_("Stable identifier used in addresses, filters and exports. Identical in every language."),
    )
    label = models.CharField(_("label"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("label"), FieldPanel("key"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("label"), index.AutocompleteField("label"), index.FilterField("locale")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "label"]

    def __str__(self):
        return self.display_label

    @classmethod
    def labels(cls, language=None):
        """Map of key → label in `language` (the active one by default), cached until a term changes."""
        from participation.core.selectors import vocabulary_labels

        return vocabulary_labels(model=cls, language=language or get_language())

    @property
    def display_label(self):
        """This term's label in the active language, whichever language's record it is."""
        return self.labels().get(self.key, self.label)


class Theme(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class ParticipationLevel(VocabularyTerm):
    iap2 = models.CharField(_("IAP2 equivalent"), max_length=32, blank=True)

    panels = VocabularyTerm.panels + [FieldPanel("iap2")]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("participation level")
        verbose_name_plural = _("participation levels")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class Phase(VocabularyTerm):
    """A phase of a participatory process. Its order (`sort_order`, "order" in the admin) is the process order —
    framing, design, mobilisation, deployment, feedback, evaluation — used by every list, filter and sheet."""

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class Audience(VocabularyTerm):
    hard_to_reach = models.BooleanField(
        _("hard to reach"),
        default=False,
        help_text=_(
            "A group that seldom comes to open meetings and needs to be sought out. The planner warns when such a "
            "group is expected and the methods chosen cannot reach it."
        ),
    )

    panels = VocabularyTerm.panels + [FieldPanel("hard_to_reach")]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class OrganiserType(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("organiser type")
        verbose_name_plural = _("organiser types")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class Format(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("format")
        verbose_name_plural = _("formats")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class Commune(VocabularyTerm):
    """One of the 19 communes of the Brussels-Capital Region (reference data loaded by a migration)."""

    postcodes = models.CharField(_("postcodes"), max_length=64, help_text=_("Comma-separated, e.g. 1000, 1020"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    panels = VocabularyTerm.panels + [FieldPanel("postcodes"), FieldPanel("latitude"), FieldPanel("longitude")]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["label"]
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class PurchasingLot(VocabularyTerm):
    """One of the six lots of the Region's purchasing centre for participation services."""

    number = models.PositiveSmallIntegerField(_("lot number"))
    phases = models.ManyToManyField(
        Phase,
        verbose_name=_("phases it delivers"),
        blank=True,
        limit_choices_to=CANONICAL_TERMS,
        related_name="lots",
        help_text=_("The phases of a process this lot's providers can take on (the planner proposes the lot there)."),
    )

    panels = VocabularyTerm.panels + [FieldPanel("number"), FieldPanel("phases", widget=forms.CheckboxSelectMultiple)]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("purchasing-centre lot")
        verbose_name_plural = _("purchasing-centre lots")
        ordering = ["number"]
        unique_together = [("translation_key", "locale"), ("key", "locale")]

    def __str__(self):
        return f"{self.number}. {self.display_label}"


class GroupSize(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("group size")
        verbose_name_plural = _("group sizes")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class TimeNeeded(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("time needed")
        verbose_name_plural = _("time needed")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class BudgetBand(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("budget band")
        verbose_name_plural = _("budget bands")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class FacilitationLevel(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("facilitation needed")
        verbose_name_plural = _("facilitation levels")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class IssueComplexity(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("complexity of the issue")
        verbose_name_plural = _("levels of complexity")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class PolarisationLevel(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("polarisation of the issue")
        verbose_name_plural = _("levels of polarisation")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class SheetCategory(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("sheet category")
        verbose_name_plural = _("sheet categories")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class GeographicScope(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("geographic scope")
        verbose_name_plural = _("geographic scopes")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


class RecruitmentMethod(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("recruitment method")
        verbose_name_plural = _("recruitment methods")
        unique_together = [("translation_key", "locale"), ("key", "locale")]


VOCABULARY_MODELS = [
    Theme,
    ParticipationLevel,
    Phase,
    Audience,
    OrganiserType,
    Format,
    Commune,
    GroupSize,
    TimeNeeded,
    BudgetBand,
    FacilitationLevel,
    IssueComplexity,
    PolarisationLevel,
    SheetCategory,
    GeographicScope,
    RecruitmentMethod,
    PurchasingLot,
]
