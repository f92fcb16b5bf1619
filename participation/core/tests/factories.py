import factory
from wagtail.models import Locale

from participation.core.models import StandardPage


class StandardPageFactory(factory.Factory):
    """Builds an unsaved page; save it with services.page_create so it is mirrored into the other languages."""

    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    lead = factory.Faker("sentence", locale="fr_BE")
    body = factory.LazyFunction(lambda: [("heading", "Section"), ("paragraph", "<p>Texte.</p>")])
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="fr"))
