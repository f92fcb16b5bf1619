from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from participation.core.blocks import RICH_TEXT_FEATURES


class SectionKind(blocks.ChoiceBlock):
    """The narrative sections of a method sheet (../shared/facts/vocabularies.md), plus free sections."""

    choices = [
        ("what-it-is", _("What it is and what it is for")),
        ("when-to-use", _("When to use it (and when not)")),
        ("how-it-works", _("How it works, step by step")),
        ("people-time-budget", _("People, time and budget")),
        ("inclusion", _("Inclusion and accessibility")),
        ("strengths", _("Strengths")),
        ("limits-risks", _("Limits and risks")),
        ("tips", _("Tips")),
        ("brussels-examples", _("Brussels examples")),
        ("other", _("Other section")),
    ]


SECTION_LABELS = dict(SectionKind.choices)
METHOD_SECTIONS = [key for key in SECTION_LABELS if key != "other"]


class SectionBlock(blocks.StructBlock):
    kind = SectionKind(label=_("kind of section"), default="other")
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    body = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Section")
