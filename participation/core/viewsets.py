"""Admin building blocks shared by the domains: records whose status an administrator decides.

A membership request is approved, a registration cancelled, a support request moves to its next step, a shared
initiative is published or declined: the administrator edits the record's status (its `status_field`) in its snippet
form, and after the save the domain's service acts on the change (emails, seats given to the waiting list, the
initiative published). Every such record uses `StatusDecisionViewSet`; the domain only says what a change means, in
`status_decided`.
"""

from typing import Any

from django.http import HttpRequest
from wagtail.snippets.views.snippets import EditView, SnippetViewSet


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
