"""Writes about the language versions of content (decision 0019): starting a translation as a draft, pre-filling it
by machine, recording where each published version comes from, noticing when a source changes after its
translations, and an editor's confirmation that a translation still matches its source."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail import blocks
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page

from participation.core.machine_translation import MachineTranslator
from participation.core.models.translations import Provenance, TranslationRecord
from participation.core.translation_selectors import (
    PENDING_CACHE_KEY,
    content_digest,
    field_digests,
    translatable_fields,
)


def pending_clear() -> None:
    cache.delete(PENDING_CACHE_KEY)


def page_source(*, page: Page) -> Page:
    """The version of `page` the others are translated from: the one recorded as original, else the oldest real
    (not alias) version."""
    key = str(page.translation_key)
    original = TranslationRecord.objects.filter(
        content_type_id=page.content_type_id, object_key=key, provenance=Provenance.ORIGINAL
    ).first()
    versions = Page.objects.filter(translation_key=key, alias_of__isnull=True).select_related("locale")
    if original is not None:
        found = versions.filter(locale__language_code=original.language).first()
        if found is not None:
            return found.specific
    return (versions.order_by("pk").first() or page).specific


def _record(*, obj: models.Model, object_key: str, language: str) -> TranslationRecord:
    record, _created = TranslationRecord.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_key=object_key,
        language=language,
        defaults={"provenance": Provenance.HUMAN},
    )
    return record


def version_published(
    *,
    obj: models.Model,
    object_key: str,
    language: str,
    source_language: str,
    source_digests: dict[str, Any],
    text_digest: str,
    source_revision_id: int | None = None,
) -> TranslationRecord:
    """Record that the `language` version of an item was published. The source's own version: the other versions
    whose source changed since they were translated become outdated. A translation: it is up to date with the
    source as it is now, with the provenance of its draft (a person's unless a machine pre-filled it)."""
    now = timezone.now()
    record = _record(obj=obj, object_key=object_key, language=language)
    digest = content_digest(source_digests)
    if language == source_language:
        if record.provenance != Provenance.ORIGINAL or record.text_digest != text_digest:
            record.translated_at = now
        record.provenance = Provenance.ORIGINAL
        record.source_language = language
        record.text_digest = text_digest
        record.pending = False
        record.save()
        TranslationRecord.objects.filter(
            content_type=record.content_type, object_key=object_key, source_changed_at__isnull=True, pending=False
        ).exclude(language=language).exclude(source_digest=digest).update(source_changed_at=now)
    else:
        record.provenance = record.draft_provenance or (
            Provenance.HUMAN if record.provenance == Provenance.ORIGINAL else record.provenance
        )
        record.draft_provenance = ""
        record.pending = False
        record.source_language = source_language
        record.translated_at = now
        record.text_digest = text_digest
        record.source_digest = digest
        record.source_fields = source_digests
        record.source_revision_id = source_revision_id
        record.source_changed_at = None
        record.save()
    pending_clear()
    return record


def versions_published(
    *,
    obj: models.Model,
    object_key: str,
    source_language: str,
    texts: dict[str, models.Model],
    fields: list[models.Field],
) -> list[TranslationRecord]:
    """Records for an item whose language versions are records of their own (`texts`: language → the record holding
    that language's `fields`: an initiative's texts, a provider's, a vocabulary term's versions), after the item
    was published or saved: the original's first (its change makes the other languages outdated), then every other
    language whose text changed or whose draft was waiting (brought up to date)."""
    source = texts.get(source_language)
    if source is None:
        return []
    source_digests = field_digests(source, fields)

    def published(language: str, text_digest: str) -> TranslationRecord:
        return version_published(
            obj=obj,
            object_key=object_key,
            language=language,
            source_language=source_language,
            source_digests=source_digests,
            text_digest=text_digest,
        )

    records = [published(source_language, content_digest(source_digests))]
    known = {
        record.language: record
        for record in TranslationRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_key=object_key
        )
    }
    for language, text in texts.items():
        if language == source_language:
            continue
        own = content_digest(field_digests(text, fields))
        record = known.get(language)
        if record is None or record.text_digest != own or record.pending or record.draft_provenance:
            records.append(published(language, own))
    return records


def translation_draft_written(
    *, obj: models.Model, object_key: str, language: str, source_language: str, provenance: str
) -> TranslationRecord:
    """A translation written on the translate screen and kept as a draft (a revision) until it is published: the
    dashboard shows it as a draft, and its publication records `provenance`."""
    record = _record(obj=obj, object_key=object_key, language=language)
    record.pending = record.translated_at is None  # nothing published in that language yet
    record.draft_provenance = provenance
    record.source_language = source_language
    record.save()
    pending_clear()
    return record


def versions_backfill(
    *,
    obj: models.Model,
    object_key: str,
    source_language: str,
    texts: dict[str, models.Model],
    fields: list[models.Field],
    translated_at: Any,
    known: set[tuple[str, str]],
) -> int:
    """Records for the language versions of an item that have none (`known`: (key, language) already recorded):
    the source language's is the original, the others were translated by people, up to date. Returns how many."""
    source = texts.get(source_language)
    if source is None or all((object_key, language) in known for language in texts):
        return 0  # after every `migrate`, nearly every item: nothing is read or digested for it
    source_digests = field_digests(source, fields)
    created = 0
    for language, text in texts.items():
        if (object_key, language) in known:
            continue
        is_source = language == source_language
        TranslationRecord.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_key=object_key,
            language=language,
            source_language=source_language,
            provenance=Provenance.ORIGINAL if is_source else Provenance.HUMAN,
            translated_at=translated_at,
            text_digest=content_digest(field_digests(text, fields)),
            source_digest=content_digest(source_digests),
            source_fields={} if is_source else source_digests,
        )
        created += 1
    return created


def page_version_published(*, page: Page) -> TranslationRecord | None:
    """After any page is published (signal): its record, and the outdated state of its translations."""
    page = page.specific
    if page.alias_of_id or page.depth < 2:
        return None
    source = page_source(page=page)
    return version_published(
        obj=page,
        object_key=str(page.translation_key),
        language=page.locale.language_code,
        source_language=source.locale.language_code,
        source_digests=field_digests(source),
        text_digest=content_digest(field_digests(page)),
        source_revision_id=source.live_revision_id,
    )


@transaction.atomic
def page_translation_start(*, source: Page, language: str, user: AbstractBaseUser | None) -> Page:
    """The `language` version of `source`, ready to be edited as a draft. An alias standing in for it becomes an
    ordinary page whose live content stays the source's (readers keep seeing the "not translated yet" notice) until
    the translation is published."""
    locale = Locale.objects.get(language_code=language)
    target = source.get_translation_or_none(locale)
    started = False
    if target is None:
        target = source.copy_for_translation(locale, copy_parents=True)
        started = True
    elif target.alias_of_id:
        target = ConvertAliasPageAction(target.specific, user=user).execute(skip_permission_checks=True)
        started = True
    if started:
        record = _record(obj=target.specific, object_key=str(source.translation_key), language=language)
        record.pending = True
        record.source_language = source.locale.language_code
        record.save()
        pending_clear()
    return target.specific


def _stream_translate(block: blocks.Block, raw: Any, translate: Any) -> Any:
    """A StreamField's raw value with its text translated, block by block (ids and structure kept)."""
    if isinstance(block, blocks.RichTextBlock):
        return translate(raw, html=True) if raw else raw
    if isinstance(block, blocks.CharBlock | blocks.TextBlock):
        return translate(raw, html=False) if raw else raw
    if isinstance(block, blocks.StructBlock):
        return {
            name: _stream_translate(block.child_blocks[name], value, translate) if name in block.child_blocks else value
            for name, value in raw.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [
            {**item, "value": _stream_translate(block.child_block, item["value"], translate)}
            if isinstance(item, dict) and "value" in item and "type" in item
            else _stream_translate(block.child_block, item, translate)
            for item in raw
        ]
    if isinstance(block, blocks.StreamBlock):
        return [
            {**child, "value": _stream_translate(block.child_blocks[child["type"]], child["value"], translate)}
            if child.get("type") in block.child_blocks
            else child
            for child in raw
        ]
    return raw


def _unique_slug(*, page: Page, title: str) -> str:
    base = slugify(title)[:60].strip("-") or page.slug
    siblings = set(page.get_siblings(inclusive=False).values_list("slug", flat=True)) if page.pk else set()
    slug, number = base, 2
    while slug in siblings:
        slug, number = f"{base}-{number}", number + 1
    return slug


def page_translation_prefill(
    *, source: Page, target: Page, translator: MachineTranslator, user: AbstractBaseUser | None
) -> Page:
    """A draft revision of `target` whose texts are the machine's translation of `source`'s, with a slug made from
    the translated title; recorded as a machine translation until a person marks it checked. Nothing is published.
    Raises MachineTranslationError when the engine fails."""
    source_language, target_language = source.locale.language_code, target.locale.language_code

    def translate(text: str, *, html: bool) -> str:
        return translator.translate([text], source=source_language, target=target_language, html=html)[0]

    draft = target.get_latest_revision_as_object()
    for model_field in translatable_fields(type(source)):
        value = model_field.value_from_object(source)
        if isinstance(model_field, StreamField):
            raw = value.get_prep_value() if value else []
            setattr(draft, model_field.name, json.dumps(_stream_translate(model_field.stream_block, raw, translate)))
        elif value:
            setattr(draft, model_field.name, translate(value, html=isinstance(model_field, RichTextField)))
    draft.slug = _unique_slug(page=target, title=draft.title)
    draft.save_revision(user=user, clean=False)
    record = _record(obj=target, object_key=str(target.translation_key), language=target_language)
    record.draft_provenance = Provenance.MACHINE
    record.source_language = source_language
    record.save()
    return draft


def translation_machine_checked(*, record: TranslationRecord) -> TranslationRecord:
    """A person read the machine translation (its draft, or the published text) and vouches for it."""
    if record.draft_provenance == Provenance.MACHINE:
        record.draft_provenance = Provenance.MACHINE_CHECKED
    elif record.provenance == Provenance.MACHINE:
        record.provenance = Provenance.MACHINE_CHECKED
    record.save()
    return record


def translation_confirm(*, record: TranslationRecord, source_digests: dict[str, Any]) -> TranslationRecord:
    """An editor checked that the translation still says what the source says now: it is no longer outdated."""
    record.source_changed_at = None
    record.source_digest = content_digest(source_digests)
    record.source_fields = source_digests
    record.save()
    return record


# Other domains add the backfill of the items whose texts they keep in their own way (an initiative's texts).
TRANSLATION_BACKFILLS: list[Any] = []


def translation_backfill_register(backfill: Any) -> None:
    if backfill not in TRANSLATION_BACKFILLS:
        TRANSLATION_BACKFILLS.append(backfill)


def translation_records_backfill() -> int:
    """Records for the content that exists without one (content from before decision 0019): in each group of
    language versions, the French one (else the oldest) is the original and the others were translated by people,
    on the day they were last published, up to date with their source. Aliases stay aliases (missing translations).
    Idempotent; returns the number of records created."""
    created = 0
    versions = Page.objects.filter(depth__gt=1, alias_of__isnull=True).select_related("locale").order_by("pk")
    groups: dict[str, list[Page]] = {}
    for page in versions:
        groups.setdefault(str(page.translation_key), []).append(page)
    existing = set(TranslationRecord.objects.values_list("object_key", "language"))
    for key, pages in groups.items():
        by_language = {page.locale.language_code: page for page in pages}
        if all((key, language) in existing for language in by_language):
            continue  # recorded: neither the specific page nor its digests are read
        source = (by_language.get("fr") or pages[0]).specific
        source_language = source.locale.language_code
        source_digests = field_digests(source)
        for language, page in by_language.items():
            if (key, language) in existing:
                continue
            specific = page.specific
            TranslationRecord.objects.create(
                content_type_id=page.content_type_id,
                object_key=key,
                language=language,
                source_language=source_language,
                provenance=Provenance.ORIGINAL if language == source_language else Provenance.HUMAN,
                translated_at=page.last_published_at or page.latest_revision_created_at,
                text_digest=content_digest(field_digests(specific)),
                source_digest=content_digest(source_digests),
                source_fields=source_digests if language != source_language else {},
                source_revision_id=source.live_revision_id if language != source_language else None,
            )
            created += 1
    for backfill in TRANSLATION_BACKFILLS:
        created += backfill()
    pending_clear()
    return created
