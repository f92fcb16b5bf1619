from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from participation.core.admin_views import ExpiredAnnouncementsPanel
from participation.core.models.vocabularies import VOCABULARY_MODELS


def _vocabulary_viewset(model):
    return type(
        f"{model.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": model,
            "list_display": ["label", "key", "sort_order"],
            "search_fields": ["label"],
            "ordering": model._meta.ordering,
        },
    )


class VocabularyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Vocabularies")
    menu_icon = "tag"
    menu_order = 300
    items = [_vocabulary_viewset(model) for model in VOCABULARY_MODELS]


register_snippet(VocabularyViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_expired_announcements_panel(request, panels):
    panels.append(ExpiredAnnouncementsPanel())
