import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from participation.core.models import CANONICAL_TERMS, Commune, Theme
from participation.initiatives.models import Initiative, ModerationState, Status


class InitiativeFilterSet(WagtailFilterSet):
    moderation_state = django_filters.ChoiceFilter(choices=ModerationState.choices, label=_("moderation state"))
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
        fields = ["moderation_state", "status", "communes", "themes", "is_demo"]


class InitiativeViewSet(SnippetViewSet):
    model = Initiative
    icon = "site"
    menu_label = _("Initiatives")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["__str__", "organisers", "status", "moderation_state", "last_verified"]
    list_per_page = 50
    filterset_class = InitiativeFilterSet
    ordering = ["-updated_at"]
    # Plain database search, so that a search combines with the commune and theme filters.
    search_backend_name = None
    search_fields = ["organisers", "translations__title", "translations__summary"]


register_snippet(InitiativeViewSet)
