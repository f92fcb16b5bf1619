"""Admin building blocks shared by the domains: records whose status an administrator decides.

A membership request is approved, a registration cancelled, a support request moves to its next step, a shared
initiative is published or declined: the administrator edits the record's status (its `status_field`) in its snippet
form, and after the save the domain's service acts on the change (emails, seats given to the waiting list, the
initiative published). Every such record uses `StatusDecisionViewSet`; the domain only says what a change means, in
`status_decided`.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin import widgets
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from participation.core.text import language_name_in_text
from participation.core.translation_subjects import translation_subject_class


def translate_buttons(*, kind: str, pk: int, language: str, priority: int):
    """ "Translate into …" for each other language than `language` (the menus of pages and snippets)."""
    for code, _name in settings.LANGUAGES:
        if code != language:
            yield widgets.Button(
                _("Translate into %(language)s") % {"language": language_name_in_text(code)},
                reverse("translations:translate", args=[kind, pk, code]),
                icon_name="globe",
                priority=priority,
            )


class TranslatableEditView(EditView):
    """The editor of a snippet translated on the "Translate" screen (decision 0019): "Translate into …" in the
    header's menu."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        subject_class = translation_subject_class(self.model)
        if subject_class is not None:
            subject = subject_class(item=self.object, language="")
            if subject.can_edit(self.request.user):
                buttons += translate_buttons(
                    kind=subject.kind, pk=self.object.pk, language=subject.source_language, priority=50
                )
        return buttons


class StatusDecisionEditView(EditView):
    status_decided: Any = None
    status_field = "status"

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        self.status_before = getattr(instance, self.status_field)
        return instance

    def save_instance(self):
        instance = super().save_instance()
        if getattr(instance, self.status_field) != self.status_before:
            self.status_decided(request=self.request, instance=instance, previous_status=self.status_before)
        return instance


class StatusDecisionViewSet(SnippetViewSet):
    """A snippet whose `status` is an administrator's decision; `status_decided` acts on a change, after the save."""

    edit_view_class = StatusDecisionEditView
    status_field = "status"

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            status_decided=self.status_decided, status_field=self.status_field, **kwargs
        )

    def status_decided(self, *, request: HttpRequest, instance: Any, previous_status: str) -> None:
        raise NotImplementedError
