"""The provenance of an initiative's texts (decision 0019): one translation record per language, written when the
initiative is published, the original language's texts being the source of the others; and the initiatives' rows
of the translators' overview."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from wagtail.signals import published

from participation.core.models import Provenance, TranslationRecord
from participation.core.translation_selectors import (
    LANGUAGE_CODES,
    TranslationItem,
    TranslationVersion,
    content_digest,
    field_digests,
    translation_item_source_register,
    version_status,
)
from participation.core.translation_services import translation_backfill_register, version_published
from participation.initiatives.models import Initiative, InitiativeTranslation

TEXT_FIELDS = ["title", "summary", *InitiativeTranslation.SECTION_FIELDS]


def text_digests(text: InitiativeTranslation) -> dict[str, Any]:
    return field_digests(text, [InitiativeTranslation._meta.get_field(name) for name in TEXT_FIELDS])


def initiative_texts_published(*, initiative: Initiative) -> list[TranslationRecord]:
    """Records for each language's texts of a published initiative: the original's first (its change makes the
    other languages outdated), then every other language whose texts changed (brought up to date)."""
    texts = {text.language: text for text in initiative.translations.all()}
    source = texts.get(initiative.original_language)
    if source is None:
        return []
    source_digests = text_digests(source)
    common = {"obj": initiative, "object_key": str(initiative.pk), "source_language": initiative.original_language}
    records = [
        version_published(
            language=initiative.original_language,
            source_digests=source_digests,
            text_digest=content_digest(source_digests),
            **common,
        )
    ]
    known = {
        record.language: record
        for record in TranslationRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Initiative), object_key=str(initiative.pk)
        )
    }
    for language, text in texts.items():
        if language == initiative.original_language:
            continue
        own = content_digest(text_digests(text))
        record = known.get(language)
        if record is None or record.text_digest != own:
            records.append(
                version_published(language=language, source_digests=source_digests, text_digest=own, **common)
            )
    return records


def _published(sender, instance, **kwargs):
    initiative_texts_published(initiative=instance)


published.connect(_published, sender=Initiative, dispatch_uid="initiative-translation-records")


def initiative_records_backfill() -> int:
    """Records for the initiatives from before decision 0019 (see core.translation_services)."""
    if Initiative._meta.db_table not in connection.introspection.table_names():
        return 0
    content_type = ContentType.objects.get_for_model(Initiative)
    known = set(TranslationRecord.objects.filter(content_type=content_type).values_list("object_key", "language"))
    created = 0
    for initiative in Initiative.objects.filter(live=True).prefetch_related("translations"):
        texts = {text.language: text for text in initiative.translations.all()}
        source = texts.get(initiative.original_language)
        if source is None:
            continue
        source_digests = text_digests(source)
        for language, text in texts.items():
            if (str(initiative.pk), language) in known:
                continue
            is_source = language == initiative.original_language
            TranslationRecord.objects.create(
                content_type=content_type,
                object_key=str(initiative.pk),
                language=language,
                source_language=initiative.original_language,
                provenance=Provenance.ORIGINAL if is_source else Provenance.HUMAN,
                translated_at=initiative.last_published_at or initiative.first_published_at,
                text_digest=content_digest(text_digests(text)),
                source_digest=content_digest(source_digests),
                source_fields={} if is_source else source_digests,
            )
            created += 1
    return created


translation_backfill_register(initiative_records_backfill)


def initiative_translation_items() -> list[TranslationItem]:
    """The initiatives' rows of the translators' overview (three queries)."""
    content_type = ContentType.objects.get_for_model(Initiative)
    records = {
        (record.object_key, record.language): record
        for record in TranslationRecord.objects.filter(content_type=content_type)
    }
    texts: dict[int, dict[str, str]] = {}
    for initiative_id, language, title in InitiativeTranslation.objects.values_list(
        "initiative_id", "language", "title"
    ):
        texts.setdefault(initiative_id, {})[language] = title
    items = []
    kind = str(Initiative._meta.verbose_name)
    for pk, original in Initiative.objects.order_by("pk").values_list("pk", "original_language"):
        titles = texts.get(pk, {})
        item = TranslationItem(kind=kind, title=titles.get(original, ""), source_language=original)
        edit_url = reverse(Initiative.snippet_viewset.get_url_name("edit"), args=[pk])
        for language in LANGUAGE_CODES:
            record = records.get((str(pk), language))
            item.versions[language] = TranslationVersion(
                language=language,
                status=version_status(exists=language in titles, record=record, is_source=language == original),
                provenance=record.provenance if record else "",
                translated_at=record.translated_at if record else None,
                translate_url=edit_url,
            )
        items.append(item)
    return items


translation_item_source_register(initiative_translation_items)
