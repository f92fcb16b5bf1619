"""The planner lends its plans to the purchasing centre's request form through a Wagtail hook, so that the
purchasing centre does not import the planner (the planner uses it, not the other way round)."""

from django.utils import timezone
from wagtail import hooks

from participation.planner.selectors import plan_summary_text


@hooks.register("support_request_plan")
def support_request_plan(*, path: str, language: str) -> str:
    return plan_summary_text(path=path, language=language, start=timezone.localdate())
