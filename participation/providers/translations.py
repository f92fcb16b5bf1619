"""The providers' rows of the translators' overview (decision 0019): which languages have a provider's texts."""

from django.conf import settings
from django.urls import reverse

from participation.core.translation_selectors import TranslationItem, record_items, translation_item_source_register
from participation.providers.models import Provider, ProviderText


def provider_translation_items() -> list[TranslationItem]:
    """Providers, translated or missing in each language (one query)."""
    rows = ProviderText.objects.values_list("provider_id", "language", "provider__name")
    return record_items(
        kind=str(Provider._meta.verbose_name),
        source_language=settings.LANGUAGE_CODE,
        rows=[(str(pk), language, name) for pk, language, name in rows],
        edit_url=lambda pk: reverse(Provider.snippet_viewset.get_url_name("edit"), args=[pk]),
    )


translation_item_source_register(provider_translation_items)
