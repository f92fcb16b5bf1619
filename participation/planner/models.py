"""The planner's scoring weights: data that editors tune in the admin (Settings → Planner weights).

Each weight says how much one criterion counts when the planner ranks the methods of a phase; a weight of 0 leaves
the criterion out of the ranking (its reasons are still shown). The methods' own attributes are edited on their
sheets (tab "Levels, phases and profile").
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


def _weight(verbose_name, default, help_text):
    return models.PositiveSmallIntegerField(
        verbose_name, default=default, validators=[MaxValueValidator(10)], help_text=help_text
    )


@register_setting(icon="list-ol")
class PlannerWeights(BaseGenericSetting):
    objective = _weight(
        _("objective"),
        2,
        _(
            "The method serves the objective asked for (understand, gather opinions, design, decide, keep a dialogue), "
            "as its sheet records it."
        ),
    )
    level = _weight(
        _("participation level"),
        4,
        _(
            "The method supports the influence really offered (information … co-decision); half when it is one "
            "level away."
        ),
    )
    audiences = _weight(
        _("audiences"),
        3,
        _("The method suits the audiences who must take part, hard-to-reach groups above all."),
    )
    group_size = _weight(_("group size"), 2, _("The method works with the number of participants expected."))
    time = _weight(_("time"), 2, _("The method fits in the time available for the whole process."))
    budget = _weight(_("budget"), 2, _("The method can be run within the budget band."))
    format = _weight(
        _("online or face-to-face"), 3, _("The method can be run online, face-to-face or both, as wished.")
    )
    languages = _weight(
        _("several languages"),
        2,
        _(
            "With participants in several languages: groups per language or translated material score fully, "
            "interpreting half (it needs a budget)."
        ),
    )
    complexity = _weight(_("complexity of the topic"), 1, _("The method suits a topic this complex."))
    polarisation = _weight(_("how contested the topic is"), 2, _("The method suits a topic this contested."))
    facilitation = _weight(
        _("facilitation"),
        1,
        _(
            "The facilitation the method needs is within reach (a small budget or a citizen collective rarely pays "
            "professional facilitators)."
        ),
    )
    experience = _weight(
        _("Brussels experience"),
        2,
        _(
            "Published Brussels initiatives at the same scale (neighbourhood, commune, region…) used the method: full "
            "weight from five of them."
        ),
    )
    methods_per_phase = models.PositiveSmallIntegerField(
        _("methods per phase"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("How many ranked methods the plan proposes for each phase (1 to 3)."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("objective"),
                FieldPanel("level"),
                FieldPanel("audiences"),
                FieldPanel("group_size"),
                FieldPanel("time"),
                FieldPanel("budget"),
                FieldPanel("format"),
                FieldPanel("languages"),
                FieldPanel("complexity"),
                FieldPanel("polarisation"),
                FieldPanel("facilitation"),
                FieldPanel("experience"),
            ],
            heading=_("Weight of each criterion (0 to 10)"),
        ),
        FieldPanel("methods_per_phase"),
    ]

    class Meta:
        verbose_name = _("planner weights")

    WEIGHTS = (
        "objective",
        "level",
        "audiences",
        "group_size",
        "time",
        "budget",
        "format",
        "languages",
        "complexity",
        "polarisation",
        "facilitation",
        "experience",
    )
