"""The initiatives in the Wagtail admin: a snippet with drafts, revisions, comparison and preview (Wagtail's own
moderation tools), filtered by publication, status, commune and theme."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.views.snippets import SnippetViewSet

from participation.core.models import CANONICAL_TERMS, Commune, Theme
from participation.core.viewsets import TranslatableEditView
from participation.initiatives.models import Initiative, Status


class InitiativeFilterSet(WagtailFilterSet):
    live = django_filters.BooleanFilter(label=_("published"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("status"))
    communes = django_filters.ModelChoiceFilter(
        queryset=Commune.objects.filter(**CANONICAL_TERMS), label=_("commune"), field_name="communes"
    )
    themes = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.filter(**CANONICAL_TERMS), label=_("theme"), field_name="themes"
    )
    is_demo = django_filters.BooleanFilter(label=_("demo content"))

    class Meta:
        model = Initiative
        fields = ["live", "status", "communes", "themes", "is_demo"]


class InitiativeViewSet(SnippetViewSet):
    edit_view_class = TranslatableEditView
    model = Initiative
    icon = "site"
    menu_label = _("Initiatives")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["__str__", "organisers", "status", "last_verified"]
    list_per_page = 50
    filterset_class = InitiativeFilterSet
    ordering = ["-updated_at"]
    # Plain database search, so that a search combines with the commune and theme filters.
    search_backend_name = None
    search_fields = ["organisers", "translations__title", "translations__summary"]
