from wagtail.snippets.models import register_snippet

from participation.providers.viewsets import PurchasingCentreGroup

register_snippet(PurchasingCentreGroup)
