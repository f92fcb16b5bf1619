from django import forms
from django.db import models
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from participation.core.blocks import RICH_TEXT_FEATURES
from participation.core.models import (
    CANONICAL_TERMS,
    Audience,
    BudgetBand,
    FacilitationLevel,
    Format,
    GroupSize,
    IssueComplexity,
    ParticipationLevel,
    Phase,
    PolarisationLevel,
    SheetCategory,
    TimeNeeded,
    TranslatedPageMixin,
)
from participation.core.text import reading_minutes
from participation.toolbox.blocks import METHOD_SECTIONS, SECTION_LABELS, SectionBlock


class SheetKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introductory text")
    PROCESS_TYPE = "process-type", _("Process type")
    PHASE = "phase", _("Phase")
    METHOD = "method", _("Method")
    THEMATIC_QUESTION = "thematic-question", _("Thematic question")


class LanguageHandling(models.TextChoices):
    """How a method works with participants who speak different languages (FR and NL at least, in Brussels)."""

    PARALLEL_GROUPS = "parallel-groups", _("Groups or tables in each language")
    TRANSLATED_MATERIAL = "translated-material", _("Written material in each language")
    INTERPRETATION = "interpretation", _("One group, with interpreting")


class MethodObjective(models.TextChoices):
    """What a method serves: the objectives the planner asks about (its first question)."""

    EXPLORE = "explore", _("Understand needs and gather ideas")
    REACT = "react", _("Gather opinions on a drafted project or plan")
    DESIGN = "design", _("Design a project or a place together")
    DECIDE = "decide", _("Choose or prioritise")
    DIALOGUE = "dialogue", _("Keep a lasting dialogue")


class ToolboxIndexPage(TranslatedPageMixin, Page):
    lead = models.CharField(_("lead"), max_length=300)
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    menu_title = models.CharField(_("menu title"), max_length=60, blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("intro")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]
    subpage_types = ["toolbox.ToolboxSheetPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("toolbox")

    def get_context(self, request, *args, **kwargs):
        from participation.toolbox.selectors import sheets_filtered

        context = super().get_context(request, *args, **kwargs)
        context["filters"], context["sheets"] = sheets_filtered(index=self, params=request.GET)
        return context


# A sheet's kind (what the page does with it: a method's profile, a phase's neighbours) follows from its category (where
# the toolbox files it), so editors are asked only the category.
CATEGORY_KINDS = {
    "methods": SheetKind.METHOD,
    "phases": SheetKind.PHASE,
    "process-types": SheetKind.PROCESS_TYPE,
    "thematic-questions": SheetKind.THEMATIC_QUESTION,
}


class ToolboxSheetForm(WagtailAdminPageForm):
    """A new sheet starts with the sections of a method sheet, headed in the page's language, ready to fill (the
    editor removes those another kind of sheet does not need). The sections a method sheet must have are asked for on
    publishing; a draft can be saved before they are all there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None and not self.instance.body:
            with translation.override(self.instance.locale.language_code if self.instance.locale_id else None):
                sections = [
                    {"type": "section", "value": {"kind": key, "heading": str(SECTION_LABELS[key]), "body": ""}}
                    for key in METHOD_SECTIONS
                ]
            self.initial["body"] = self.fields["body"].block.to_python(sections)

    objectives = forms.MultipleChoiceField(
        label=_("objectives it serves"),
        choices=MethodObjective.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What the method is good for, as the sheet describes it; the planner ranks it higher for these."),
    )

    def clean(self):
        cleaned_data = super().clean()
        category, body = cleaned_data.get("category"), cleaned_data.get("body")
        if self.is_deferred_validation or category is None or body is None:
            return cleaned_data
        if CATEGORY_KINDS.get(category.key) == SheetKind.METHOD:
            kinds = {block.value["kind"] for block in body}
            missing = [str(SECTION_LABELS[key]) for key in METHOD_SECTIONS if key not in kinds]
            if missing:
                message = _("A method sheet needs these sections: %(sections)s.") % {"sections": ", ".join(missing)}
                self.add_error("body", message)
        return cleaned_data


def _canonical(model, verbose_name, **kwargs):
    return ParentalManyToManyField(
        model, verbose_name=verbose_name, blank=True, limit_choices_to=CANONICAL_TERMS, related_name="+", **kwargs
    )


class ToolboxSheetPage(TranslatedPageMixin, Page):
    """One information sheet: an introductory text, a process type, a phase, a method or a thematic question."""

    kind = models.CharField(_("type"), max_length=32, choices=SheetKind.choices)
    category = models.ForeignKey(
        SheetCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        limit_choices_to=CANONICAL_TERMS,
        related_name="+",
    )
    lead = models.CharField(_("lead"), max_length=300, help_text=_("One sentence saying what the sheet gives."))
    date = models.DateField(_("date"), default=timezone.localdate)
    body = StreamField([("section", SectionBlock())], verbose_name=_("sections"))
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=1, editable=False)
    related_sheets = ParentalManyToManyField(
        "self", verbose_name=_("related sheets"), blank=True, symmetrical=False, related_name="+"
    )

    # Where the sheet sits in the vocabularies (process types: one level; phases: one phase; methods: their profile).
    levels = _canonical(ParticipationLevel, _("participation levels"))
    phases = _canonical(Phase, _("phases"))
    group_sizes = _canonical(GroupSize, _("optimal group sizes"))
    time_needed = models.ForeignKey(
        TimeNeeded,
        verbose_name=_("time needed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to=CANONICAL_TERMS,
        related_name="+",
    )
    budget_bands = _canonical(BudgetBand, _("budget bands"))
    facilitation = models.ForeignKey(
        FacilitationLevel,
        verbose_name=_("facilitation needed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to=CANONICAL_TERMS,
        related_name="+",
    )
    formats = _canonical(Format, _("formats"))
    complexity = _canonical(IssueComplexity, _("suitable complexity of the issue"))
    polarisation = _canonical(PolarisationLevel, _("suitable polarisation of the issue"))
    audiences = _canonical(
        Audience,
        _("audiences it suits"),
        help_text=_("The groups the method reaches well, hard-to-reach groups included, as the sheet describes."),
    )
    objectives = models.JSONField(
        _("objectives it serves"),
        default=list,
        blank=True,
        help_text=_("What the method is good for, as the sheet describes it; the planner ranks it higher for these."),
    )
    language_handling = models.CharField(
        _("several languages"),
        max_length=32,
        choices=LanguageHandling.choices,
        blank=True,
        help_text=_("How the method works when participants speak French, Dutch or other languages."),
    )

    parent_page_types = ["toolbox.ToolboxIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel([FieldPanel("category"), FieldPanel("date")], heading=_("Type")),
        FieldPanel("body"),
        FieldPanel("related_sheets"),
    ]
    profile_panels = [
        FieldPanel("levels", widget=forms.CheckboxSelectMultiple),
        FieldPanel("phases", widget=forms.CheckboxSelectMultiple),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [
                FieldPanel("group_sizes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("time_needed"),
                FieldPanel("budget_bands", widget=forms.CheckboxSelectMultiple),
                FieldPanel("facilitation"),
                FieldPanel("formats", widget=forms.CheckboxSelectMultiple),
                FieldPanel("complexity", widget=forms.CheckboxSelectMultiple),
                FieldPanel("polarisation", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("language_handling"),
            ],
            heading=_("Method profile (method sheets only)"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(profile_panels, heading=_("Levels, phases and profile")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]

    search_kind = "sheet"
    base_form_class = ToolboxSheetForm

    class Meta:
        verbose_name = _("toolbox sheet")
        verbose_name_plural = _("toolbox sheets")

    def search_facts(self):
        """What the site search adds to the sheet's text: its terms in the three languages, its level."""
        from participation.core.search import term_tags

        levels = list(self.levels.all())
        terms = [self.category, *levels, *self.phases.all(), *self.formats.all(), self.time_needed]
        return {"tags": term_tags(terms), "level": levels[0].key if len(levels) == 1 else ""}

    def get_context(self, request, *args, **kwargs):
        from participation.toolbox import selectors

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = list(self.sections())
        context["profile"] = selectors.method_profile(sheet=self)
        context["related"] = selectors.related_sheets(sheet=self)
        context["examples"], context["examples_url"] = selectors.sheet_examples(sheet=self)
        context["articles"] = selectors.sheet_articles(sheet=self)
        context["providers"], context["providers_url"], context["lots"] = selectors.sheet_providers(sheet=self)
        context["events"] = selectors.sheet_events(sheet=self)
        context["kin"] = selectors.sheet_kin(sheet=self)
        context["previous_phase"], context["next_phase"] = selectors.phase_neighbours(sheet=self)
        context["toolbox"] = self.get_parent()
        context["structured_data"] = selectors.sheet_structured_data(
            sheet=self, toolbox=context["toolbox"], profile=context["profile"], request=request
        )
        return context

    @property
    def plain_text(self):
        return " ".join(strip_tags(f"{block.value['heading']} {block.value['body'].source}") for block in self.body)

    def sections(self):
        """The sections with a unique anchor each, for the table of contents."""
        seen = set()
        for block in self.body:
            anchor = slugify(block.value["heading"]) or "section"
            while anchor in seen:
                anchor += "-2"
            seen.add(anchor)
            yield {"anchor": anchor, "heading": block.value["heading"], "body": block.value["body"]}

    def save(self, *args, **kwargs):
        self.kind = CATEGORY_KINDS.get(self.category.key, SheetKind.INTRODUCTION)
        self.reading_minutes = reading_minutes(self.plain_text)
        super().save(*args, **kwargs)
