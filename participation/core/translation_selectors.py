"""Reads about the language versions of content (decision 0019): which fields are text to translate, fingerprints of
a source, where a version comes from (provenance) and the translators' overview of every item and language."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.rich_text import expand_db_html

from participation.core.models.translations import Provenance, TranslationRecord
from participation.core.models.vocabularies import VOCABULARY_MODELS

PENDING_CACHE_KEY = "translations:pending"
# Page fields of Wagtail's own that carry text a reader sees; the others (address, dates, tree) are not translated.
PAGE_TEXT_FIELDS = {"title", "seo_title", "search_description"}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Status(models.TextChoices):
    ORIGINAL = "original", _("original")
    TRANSLATED = "translated", _("translated")
    OUTDATED = "outdated", _("outdated")
    DRAFT = "draft", _("draft translation")
    MISSING = "missing", _("missing")


def translatable_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields of `model` that hold text to translate: text, rich text and StreamField; not addresses, keys,
    choices or Wagtail's tree fields."""
    found = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.choices or model_field.name == "key":
            continue
        if isinstance(model_field, models.SlugField | models.URLField | models.EmailField):
            continue
        if not isinstance(model_field, models.CharField | models.TextField | StreamField):
            continue
        if issubclass(model, Page) and model_field.model is Page and model_field.name not in PAGE_TEXT_FIELDS:
            continue
        found.append(model_field)
    return found


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def field_digests(obj: models.Model, fields: Iterable[models.Field] | None = None) -> dict[str, Any]:
    """A fingerprint of each text field of `obj` (of each block, by its id, for a StreamField), to tell which parts
    of a source changed since it was translated."""
    digests: dict[str, Any] = {}
    for model_field in translatable_fields(type(obj)) if fields is None else fields:
        value = model_field.value_from_object(obj)
        if isinstance(model_field, StreamField):
            raw = value.get_prep_value() if hasattr(value, "get_prep_value") else (value or [])
            digests[model_field.name] = {str(block.get("id")): _digest(block.get("value")) for block in raw}
        else:
            digests[model_field.name] = _digest(value or "")
    return digests


def content_digest(digests: dict[str, Any]) -> str:
    return _digest(digests)


def changed_parts(*, before: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """Field name → True (the field changed) or the set of block ids that are new or changed (StreamField)."""
    changed: dict[str, Any] = {}
    for name, digest in now.items():
        old = before.get(name)
        if isinstance(digest, dict):
            blocks = {block for block, value in digest.items() if not isinstance(old, dict) or old.get(block) != value}
            if blocks:
                changed[name] = blocks
        elif old != digest:
            changed[name] = True
    return changed


def record_for(*, obj: models.Model, object_key: str, language: str) -> TranslationRecord | None:
    content_type = ContentType.objects.get_for_model(obj)
    return TranslationRecord.objects.filter(content_type=content_type, object_key=object_key, language=language).first()


def provenance_records(
    *, model: type[models.Model], object_keys: Iterable[str] | models.QuerySet
) -> dict[tuple[str, str], TranslationRecord]:
    """(object key, language) → the record of where those texts come from, for many items of one model (one
    query; the keys may be a subquery)."""
    records = TranslationRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_key__in=object_keys
    )
    return {(record.object_key, record.language): record for record in records}


def page_record(*, page: Page) -> TranslationRecord | None:
    """The record of a page's language version (one query), or None for an alias or a page never published."""
    return TranslationRecord.objects.filter(
        content_type_id=page.content_type_id, object_key=str(page.translation_key), language=page.locale.language_code
    ).first()


def pending_page_sources() -> dict[str, str]:
    """{translation key}:{locale id} → the source's language, for pages whose translation is started but not
    published yet: their live content is still the source's, so readers see the "not translated yet" notice.
    Cached (cleared on change)."""
    pending = cache.get(PENDING_CACHE_KEY)
    if pending is None:
        rows = TranslationRecord.objects.filter(pending=True).values_list("object_key", "language", "source_language")
        locales = dict(Locale.objects.values_list("language_code", "pk"))
        pending = {f"{key}:{locales.get(language)}": source for key, language, source in rows}
        cache.set(PENDING_CACHE_KEY, pending, 24 * 3600)
    return pending


@dataclass
class ProvenanceLabel:
    """What a reader is told about where the text comes from (includes/translation_label.html)."""

    provenance: str
    label: str
    date: datetime | None
    source_language: str
    source_url: str
    outdated: bool
    outdated_since: datetime | None


def provenance_label(*, record: TranslationRecord | None, source_url: str = "") -> ProvenanceLabel | None:
    if record is None or record.pending:
        return None
    return ProvenanceLabel(
        provenance=record.provenance,
        label=str(Provenance(record.provenance).label),
        date=record.translated_at,
        source_language=record.source_language,
        source_url=source_url,
        outdated=record.is_outdated,
        outdated_since=record.source_changed_at,
    )


@dataclass
class TranslationVersion:
    language: str
    status: str
    provenance: str = ""
    translated_at: datetime | None = None
    translate_url: str = ""

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def provenance_label(self) -> str:
        return str(Provenance(self.provenance).label) if self.provenance else ""


@dataclass
class TranslationItem:
    kind: str
    title: str
    source_language: str
    versions: dict[str, TranslationVersion] = field(default_factory=dict)


# Other domains add the items whose texts they keep in their own way (an initiative's texts per language).
TRANSLATION_ITEM_SOURCES: list[Callable[[], list[TranslationItem]]] = []


def translation_item_source_register(source: Callable[[], list[TranslationItem]]) -> None:
    if source not in TRANSLATION_ITEM_SOURCES:
        TRANSLATION_ITEM_SOURCES.append(source)


def version_status(*, exists: bool, record: TranslationRecord | None, is_source: bool) -> str:
    if is_source:
        return Status.ORIGINAL
    if record is not None and record.pending:
        return Status.DRAFT
    if not exists:
        return Status.MISSING
    if record is not None and record.is_outdated:
        return Status.OUTDATED
    return Status.TRANSLATED


def page_translation_items() -> list[TranslationItem]:
    """Every page (the tree's root left out), with the state of each language: two queries."""
    rows = (
        Page.objects.filter(depth__gt=1)
        .order_by("path")
        .values("pk", "translation_key", "locale__language_code", "alias_of_id", "title", "content_type_id")
    )
    page_types = ContentType.objects.get_for_models(*_page_models()).values()
    records = {
        (record.object_key, record.language): record
        for record in TranslationRecord.objects.filter(
            content_type__in=[content_type.pk for content_type in page_types]
        )
    }
    originals = {key: language for (key, language), record in records.items() if record.provenance == "original"}
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(str(row["translation_key"]), []).append(row)
    kinds = {
        content_type.pk: str(content_type.model_class()._meta.verbose_name)  # type: ignore[union-attr]
        for content_type in ContentType.objects.filter(pk__in={row["content_type_id"] for row in rows})
        if content_type.model_class() is not None
    }
    items = []
    for key, versions in groups.items():
        real = {row["locale__language_code"]: row for row in versions if not row["alias_of_id"]}
        if not real:
            continue
        source = originals.get(key) or min(real.values(), key=lambda row: row["pk"])["locale__language_code"]
        source_row = real.get(source) or next(iter(real.values()))
        item = TranslationItem(
            kind=kinds.get(source_row["content_type_id"], ""), title=source_row["title"], source_language=source
        )
        for language in LANGUAGE_CODES:
            record = records.get((key, language))
            item.versions[language] = TranslationVersion(
                language=language,
                status=version_status(exists=language in real, record=record, is_source=language == source),
                provenance=record.provenance if record else "",
                translated_at=record.translated_at if record else None,
                translate_url=reverse("translations:translate", args=["page", source_row["pk"], language]),
            )
        items.append(item)
    return items


def _page_models() -> list[type[Page]]:
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, Page)]


@dataclass
class TranslationOverview:
    items: list[TranslationItem]
    counts: dict[str, dict[str, int]]
    total: int

    @property
    def count_rows(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """(language, [(status, count) in the order of Status]) for a table."""
        return [(code, [(status, counts[status]) for status in Status.values]) for code, counts in self.counts.items()]


def translation_overview(*, language: str = "", status: str = "", kind: str = "") -> TranslationOverview:
    """The translators' overview: items filtered by language and status (an item matches when that language is in
    that state) and by kind; counts per language and status over every item of the kind."""
    items = page_translation_items()
    for source in TRANSLATION_ITEM_SOURCES:
        items += source()
    if kind:
        items = [item for item in items if item.kind == kind]
    counts = {code: dict.fromkeys(Status.values, 0) for code in LANGUAGE_CODES}
    for item in items:
        for code, version in item.versions.items():
            counts[code][version.status] += 1
    languages = [language] if language else LANGUAGE_CODES
    if status:
        items = [item for item in items if any(item.versions[code].status == status for code in languages)]
    return TranslationOverview(items=items, counts=counts, total=len(items))


@dataclass
class ComparedBlock:
    label: str
    source_text: str
    target_text: str
    changed: bool


@dataclass
class ComparedField:
    name: str
    label: str
    source_text: str
    target_text: str
    changed: bool
    blocks: list[ComparedBlock] = field(default_factory=list)


def _plain(value: Any) -> str:
    text = value.source if hasattr(value, "source") else str(value or "")
    return " ".join(strip_tags(expand_db_html(text)).split())


def _block_texts(value: Any) -> dict[str, tuple[str, str]]:
    """block id → (block label, its text) of a StreamField value."""
    texts = {}
    for child in value or []:
        content = child.block.get_searchable_content(child.value)
        texts[str(child.id)] = (str(child.block.label), " ".join(_plain(text) for text in content))
    return texts


def text_comparison(
    *,
    fields: list[models.Field],
    source: models.Model,
    target: models.Model | None,
    record: TranslationRecord | None,
) -> list[ComparedField]:
    """The source's text `fields` beside the translation's (`target`: its latest draft), block by block for a
    StreamField; `changed` marks what is new or changed in the source since the translation was last published or
    confirmed. Serves pages, snippets and records with texts per language alike."""
    changed = (
        changed_parts(before=record.source_fields, now=field_digests(source, fields))
        if record and record.source_fields
        else {}
    )
    compared = []
    for model_field in fields:
        source_value = model_field.value_from_object(source)
        target_value = model_field.value_from_object(target) if target is not None else None
        item = ComparedField(
            name=model_field.name,
            label=str(model_field.verbose_name),
            source_text="" if isinstance(model_field, StreamField) else _plain(source_value),
            target_text="" if isinstance(model_field, StreamField) else _plain(target_value),
            changed=bool(changed.get(model_field.name)),
        )
        if isinstance(model_field, StreamField):
            target_blocks = _block_texts(target_value)
            changed_blocks = changed.get(model_field.name) or set()
            item.blocks = [
                ComparedBlock(
                    label=label,
                    source_text=text,
                    target_text=target_blocks.get(block_id, ("", ""))[1],
                    changed=block_id in changed_blocks,
                )
                for block_id, (label, text) in _block_texts(source_value).items()
            ]
        compared.append(item)
    return compared


def page_comparison(*, source: Page, target: Page | None, record: TranslationRecord | None) -> list[ComparedField]:
    """A page's text fields beside its translation's latest draft (an alias has none)."""
    draft = target.get_latest_revision_as_object() if target is not None and not target.alias_of_id else None
    return text_comparison(fields=translatable_fields(type(source)), source=source, target=draft, record=record)


def page_provenance(*, page: Page, route_name: str = "") -> ProvenanceLabel | None:
    """Where the text of a page shown to readers comes from (one query; one more for the original's address when
    the translation is outdated). None for a page shown in place of a missing translation, and for the routes of a
    page, which show other records (an initiative under the map page)."""
    if not getattr(page, "pk", None) or getattr(page, "is_fallback", True) or route_name not in ("", "index_route"):
        return None
    record = page_record(page=page)
    source_url = ""
    if record is not None and record.is_outdated:
        source = Page.objects.filter(
            translation_key=page.translation_key, locale__language_code=record.source_language
        ).first()
        source_url = (source.url or "") if source is not None else ""
    return provenance_label(record=record, source_url=source_url)


def text_items(
    *,
    model: type[models.Model],
    kind: str,
    rows: Iterable[tuple[str, str, str]],
    source_languages: dict[str, str],
    translate_url: Callable[[str, str], str],
) -> list[TranslationItem]:
    """Items whose language versions are rows (item key, language, title) of `model`'s records (vocabulary terms,
    providers' texts, initiatives' texts), with the provenance recorded for each; `source_languages` gives an
    item's original language when it is not the site's default (two queries)."""
    records = {
        (record.object_key, record.language): record
        for record in TranslationRecord.objects.filter(content_type=ContentType.objects.get_for_model(model))
    }
    titles: dict[str, dict[str, str]] = {}
    for key, language, title in rows:
        titles.setdefault(key, {})[language] = title
    items = []
    for key, versions in titles.items():
        source = source_languages.get(key, settings.LANGUAGE_CODE)
        source = source if source in versions else next(iter(versions))
        item = TranslationItem(kind=kind, title=versions[source], source_language=source)
        for language in LANGUAGE_CODES:
            record = records.get((key, language))
            item.versions[language] = TranslationVersion(
                language=language,
                status=version_status(exists=language in versions, record=record, is_source=language == source),
                provenance=record.provenance if record else "",
                translated_at=record.translated_at if record else None,
                translate_url=translate_url(key, language),
            )
        items.append(item)
    return items


def vocabulary_translation_items() -> list[TranslationItem]:
    """Every vocabulary term in each language (two queries per vocabulary)."""
    items = []
    for model in VOCABULARY_MODELS:
        rows = list(model.objects.values_list("translation_key", "locale__language_code", "label", "pk"))
        terms = {str(key): pk for key, language, _label, pk in rows if language == settings.LANGUAGE_CODE}
        model_name = model._meta.model_name

        def translate_url(key: str, language: str, terms: dict[str, int] = terms, kind: str = str(model_name)) -> str:
            return reverse("translations:translate", args=[kind, terms[key], language]) if key in terms else ""

        items += text_items(
            model=model,
            kind=str(model._meta.verbose_name),
            rows=[(str(key), language, label) for key, language, label, _pk in rows],
            source_languages={},
            translate_url=translate_url,
        )
    return items


translation_item_source_register(vocabulary_translation_items)
