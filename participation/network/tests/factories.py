import datetime

import factory
from django.utils import timezone
from wagtail.models import Locale

from participation.core.models import CANONICAL_TERMS, Format
from participation.network.models import EventPage, EventSession, EventType, NetworkPage


class NetworkPageFactory(factory.Factory):
    """Builds an unsaved page; save it with services.page_create so it is mirrored into the other languages."""

    class Meta:
        model = NetworkPage

    title = "Réseau"
    slug = "reseau"
    lead = "Le réseau des agents de la participation."
    body = factory.LazyFunction(lambda: [("heading", "Pour qui ?"), ("paragraph", "<p>Texte.</p>")])
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="fr"))


def _format():
    return Format.objects.get(key="face-to-face", **CANONICAL_TERMS)


class EventPageFactory(factory.Factory):
    """An unsaved event starting `in_days` from now, with one session of three hours."""

    class Meta:
        model = EventPage

    class Params:
        in_days = 10

    title = factory.Sequence(lambda n: f"Atelier {n}")
    slug = factory.Sequence(lambda n: f"atelier-{n}")
    lead = "Un atelier."
    event_type = EventType.PRACTICAL_CASES
    format = factory.LazyFunction(_format)
    programme = "<p>Programme.</p>"
    capacity = 2
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="fr"))
    sessions = factory.LazyAttribute(
        lambda o: [
            EventSession(
                starts_at=timezone.now().replace(microsecond=0) + datetime.timedelta(days=o.in_days),
                ends_at=timezone.now().replace(microsecond=0) + datetime.timedelta(days=o.in_days, hours=3),
            )
        ]
    )
