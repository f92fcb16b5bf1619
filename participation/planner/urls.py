"""The planner under each language prefix, at a translated address (/fr/planifier/, /nl/plannen/, /en/plan/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from participation.planner import views

urlpatterns = [
    path(_("plan/"), views.questions, name="planner"),
    path(_("plan/result/"), views.result, name="planner_result"),
    path(_("plan/milestones.ics"), views.calendar, name="planner_calendar"),
]
