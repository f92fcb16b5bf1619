"""The purchasing centre in the Wagtail admin: providers, and support requests whose status the service decides."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from participation.core.models import CANONICAL_TERMS, PurchasingLot
from participation.core.viewsets import StatusDecisionViewSet, TranslatableEditView
from participation.providers.models import Provider, RequestStatus, SupportRequest
from participation.providers.services import support_request_status_notify


class ProviderFilterSet(WagtailFilterSet):
    lots = django_filters.ModelChoiceFilter(queryset=PurchasingLot.objects.filter(**CANONICAL_TERMS), label=_("lot"))
    is_demo = django_filters.BooleanFilter(label=_("demo content"))

    class Meta:
        model = Provider
        fields = ["lots", "is_demo"]


class ProviderViewSet(SnippetViewSet):
    edit_view_class = TranslatableEditView
    model = Provider
    icon = "group"
    list_display = ["name", "is_demo"]
    filterset_class = ProviderFilterSet
    search_backend_name = None
    search_fields = ["name", "texts__description"]


class SupportRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("status"))

    class Meta:
        model = SupportRequest
        fields = ["status"]


class SupportRequestViewSet(StatusDecisionViewSet):
    model = SupportRequest
    icon = "mail"
    list_display = ["reference", "organisation", "status", "created_at"]
    filterset_class = SupportRequestFilterSet
    search_backend_name = None
    search_fields = ["reference", "organisation", "contact_name"]
    ordering = ["-created_at"]

    def status_decided(self, *, request, instance, previous_status):
        support_request_status_notify(support_request=instance, previous_status=previous_status)


class PurchasingCentreGroup(SnippetViewSetGroup):
    menu_label = _("Purchasing centre")
    menu_icon = "tasks"
    menu_order = 210
    items = [SupportRequestViewSet, ProviderViewSet]
