"""The providers' translations (decision 0019): their rows of the translators' overview, the provenance of their
texts by language, and their "Translate" screen. A provider has revisions but no drafts: saving a translation
publishes it, recorded with its provenance, and keeps a revision of the provider."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from participation.core.models import TranslationRecord
from participation.core.translation_selectors import TranslationItem, text_items, translation_item_source_register
from participation.core.translation_services import translation_backfill_register, versions_backfill
from participation.core.translation_subjects import TranslationSubject, translation_subject_register
from participation.providers.models import Provider, ProviderText


class ProviderTranslationSubject(TranslationSubject):
    kind = "provider"
    model = Provider
    text_model = ProviderText
    field_names = ["description", "services"]
    permission = "providers.change_provider"

    def texts(self) -> dict[str, Any]:
        return {text.language: text for text in self.item.texts.all()}

    def save_text(self, *, values: dict[str, Any], user: AbstractBaseUser | None) -> None:
        ProviderText.objects.update_or_create(provider=self.item, language=self.language, defaults=values)
        self.item.save_revision(user=user, log_action=True)


translation_subject_register(ProviderTranslationSubject)


def provider_translation_items() -> list[TranslationItem]:
    """Providers, with the state and provenance of their texts in each language (three queries)."""
    records = TranslationRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Provider), provenance="original"
    )
    return text_items(
        model=Provider,
        kind=str(Provider._meta.verbose_name),
        rows=[
            (str(pk), language, name)
            for pk, language, name in ProviderText.objects.values_list("provider_id", "language", "provider__name")
        ],
        source_languages=dict(records.values_list("object_key", "language")),
        translate_url=lambda key, language: reverse("translations:translate", args=["provider", key, language]),
    )


translation_item_source_register(provider_translation_items)


def provider_records_backfill() -> int:
    """Records for the providers' texts from before they had provenance: the default language's (else the first)
    texts are the original, the others translated by people."""
    if ProviderText._meta.db_table not in connection.introspection.table_names():
        return 0
    known = set(
        TranslationRecord.objects.filter(content_type=ContentType.objects.get_for_model(Provider)).values_list(
            "object_key", "language"
        )
    )
    created = 0
    for provider in Provider.objects.prefetch_related("texts"):
        subject = ProviderTranslationSubject(item=provider, language="")
        created += versions_backfill(
            obj=provider,
            object_key=subject.object_key,
            source_language=subject.source_language,
            texts=subject.texts(),
            fields=subject.fields(),
            translated_at=provider.latest_revision.created_at if provider.latest_revision_id else None,
            known=known,
        )
    return created


translation_backfill_register(provider_records_backfill)
