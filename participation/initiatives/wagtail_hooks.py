from wagtail.snippets.models import register_snippet

from participation.initiatives.viewsets import InitiativeViewSet

register_snippet(InitiativeViewSet)
