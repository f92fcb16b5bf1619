"""What the "Translate" screen translates (decision 0019): one subject class per kind of item — pages, vocabulary
terms here; initiatives and providers in their apps — so that one screen (core.admin_views.translate) shows the
source beside the translation field by field, marks what changed in the source since the last translation, offers
the machine's suggestion and records the provenance, whatever the item keeps its languages in.

A subject names the item's language versions (`texts`: language → the record holding that language's text fields),
its source language, who may translate it, and how a translation is written: pages in Wagtail's editor (their
StreamField, rich text, promote tab and workflow), the others on the screen itself, as a draft revision where the
item has drafts (initiatives), else saved at once with its provenance (vocabulary terms, providers).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from participation.core.machine_translation import MachineTranslator
from participation.core.models.translations import Provenance, TranslationRecord
from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.translation_selectors import (
    ComparedField,
    field_digests,
    page_record,
    record_for,
    text_comparison,
    translatable_fields,
)
from participation.core.translation_services import (
    page_source,
    page_translation_prefill,
    page_translation_start,
    translation_backfill_register,
    translation_draft_written,
    versions_backfill,
    versions_published,
)


class TranslationSubject:
    kind: ClassVar[str]  # the address's segment: /admin/translations/<kind>/<pk>/<language>/
    model: ClassVar[type[models.Model]]
    text_model: ClassVar[type[models.Model]]  # the model whose fields hold one language's texts
    field_names: ClassVar[list[str] | None] = None  # None: every text field (translatable_fields)
    written_here: ClassVar[bool] = True  # False: the translation is written in Wagtail's editor (pages)
    keeps_drafts: ClassVar[bool] = False  # True: the screen saves a draft revision; publishing is the editor's
    permission: ClassVar[str] = ""

    def __init__(self, *, item: Any, language: str) -> None:
        self.item = item
        self.language = language

    @classmethod
    def item_or_404(cls, pk: int) -> Any:
        return get_object_or_404(cls.model, pk=pk)

    @property
    def object_key(self) -> str:
        return str(self.item.pk)

    @cached_property
    def source_language(self) -> str:
        """The original's language: the one recorded as original, else the site's default when it has a version,
        else any version's."""
        texts = self.texts()
        original = (
            TranslationRecord.objects.filter(
                content_type__app_label=self.model._meta.app_label,
                content_type__model=self.model._meta.model_name,
                object_key=self.object_key,
                provenance=Provenance.ORIGINAL,
            )
            .values_list("language", flat=True)
            .first()
        )
        for language in (original, settings.LANGUAGE_CODE):
            if language in texts:
                return language
        return next(iter(texts), settings.LANGUAGE_CODE)

    @property
    def menu_language(self) -> str:
        """The language a listing's "Translate into …" menu leaves out, without a query per row: the site's default,
        unless the item names its own original language."""
        return settings.LANGUAGE_CODE

    def texts(self) -> dict[str, Any]:
        """Language → the live record holding that language's texts."""
        raise NotImplementedError

    def title(self) -> str:
        return str(self.item)

    def source_text(self) -> Any:
        return self.texts().get(self.source_language)

    def target_text(self) -> Any:
        """The translation as it would be published next (its latest draft where the item keeps drafts)."""
        return self.texts().get(self.language)

    def fields(self) -> list[models.Field]:
        found = translatable_fields(self.text_model)
        return found if self.field_names is None else [f for f in found if f.name in self.field_names]

    def record(self) -> TranslationRecord | None:
        return record_for(obj=self.item, object_key=self.object_key, language=self.language)

    def source_digests(self) -> dict[str, Any]:
        return field_digests(self.source_text(), self.fields())

    def comparison(self, *, record: TranslationRecord | None) -> list[ComparedField]:
        return text_comparison(
            fields=self.fields(), source=self.source_text(), target=self.target_text(), record=record
        )

    def can_edit(self, user: AbstractBaseUser) -> bool:
        return user.has_perm(self.permission)

    def url(self) -> str:
        return reverse("translations:translate", args=[self.kind, self.item.pk, self.language])

    def editor_url(self) -> str:
        viewset = self.model.snippet_viewset  # type: ignore[attr-defined]
        return reverse(viewset.get_url_name("edit"), args=[quote(self.item.pk)])

    def form(self, *, data: Any = None, initial: dict[str, Any] | None = None) -> forms.Form:
        """The translation's text fields, filled with its latest draft (or `initial`, the machine's suggestion)."""
        form_fields = {f.name: f.formfield() for f in self.fields()}
        for form_field in form_fields.values():
            if isinstance(form_field.widget, forms.Textarea):
                form_field.widget.attrs["rows"] = 5
        form_class = type("TranslationForm", (forms.Form,), form_fields)
        if initial is None:
            target = self.target_text()
            initial = {f.name: f.value_from_object(target) for f in self.fields()} if target is not None else {}
        return form_class(data=data, initial=initial, prefix="translation")

    def suggestion(self, *, translator: MachineTranslator) -> dict[str, Any]:
        """The machine's translation of the source's texts, to fill the form: nothing is saved.
        Raises MachineTranslationError when the engine fails."""
        source = self.source_text()
        fields = [f for f in self.fields() if f.value_from_object(source)]
        suggested = {}
        for html in (False, True):
            batch = [f for f in fields if isinstance(f, RichTextField) == html]
            if batch:
                texts = [f.value_from_object(source) for f in batch]
                translated = translator.translate(texts, source=self.source_language, target=self.language, html=html)
                suggested.update({f.name: text for f, text in zip(batch, translated, strict=False)})
        return suggested

    def write(self, *, values: dict[str, Any], provenance: str, user: AbstractBaseUser | None) -> None:
        """Save the translation written on the screen: a draft revision where the item keeps drafts, else at once
        (recorded with its provenance)."""
        self.save_text(values=values, user=user)
        translation_draft_written(
            obj=self.item,
            object_key=self.object_key,
            language=self.language,
            source_language=self.source_language,
            provenance=provenance,
        )
        self.published()

    def save_text(self, *, values: dict[str, Any], user: AbstractBaseUser | None) -> None:
        raise NotImplementedError

    def published(self) -> list[TranslationRecord]:
        """Record the provenance of each language after the item was saved (a source's change marks the other
        languages outdated)."""
        return versions_published(
            obj=self.item,
            object_key=self.object_key,
            source_language=self.source_language,
            texts=self.texts(),
            fields=self.fields(),
        )


TRANSLATION_SUBJECTS: dict[str, type[TranslationSubject]] = {}


def translation_subject_register(subject: type[TranslationSubject]) -> type[TranslationSubject]:
    TRANSLATION_SUBJECTS[subject.kind] = subject
    return subject


def translation_subject_class(model: type[models.Model]) -> type[TranslationSubject] | None:
    """The subject class of a snippet model (None for pages and models that are not translated this way)."""
    return next(
        (subject for subject in TRANSLATION_SUBJECTS.values() if subject.model is model and subject.kind != "page"),
        None,
    )


class PageTranslationSubject(TranslationSubject):
    """A page in one language. The screen compares and starts the translation; it is written in Wagtail's editor."""

    kind = "page"
    model = Page
    written_here = False

    def __init__(self, *, item: Any, language: str) -> None:
        super().__init__(item=item, language=language)
        self.source = page_source(page=item)
        self.target = self.source.get_translation_or_none(Locale.objects.get(language_code=language))
        if self.target is not None:
            self.target = self.target.specific
        self.text_model = type(self.source)  # type: ignore[misc]

    @classmethod
    def item_or_404(cls, pk: int) -> Any:
        return get_object_or_404(Page, pk=pk).specific

    @property
    def object_key(self) -> str:
        return str(self.source.translation_key)

    @property
    def source_language(self) -> str:
        return self.source.locale.language_code

    @property
    def is_alias(self) -> bool:
        return bool(self.target is not None and self.target.alias_of_id)

    def title(self) -> str:
        return self.source.title

    def source_text(self) -> Any:
        return self.source

    def target_text(self) -> Any:
        return None if self.target is None or self.is_alias else self.target.get_latest_revision_as_object()

    def record(self) -> TranslationRecord | None:
        return page_record(page=self.target) if self.target is not None else None

    def can_edit(self, user: AbstractBaseUser) -> bool:
        return self.item.permissions_for_user(user).can_edit()

    def url(self) -> str:
        return reverse("translations:translate", args=[self.kind, self.source.pk, self.language])

    def editor_url(self) -> str:
        page = self.source if self.target is None or self.is_alias else self.target
        return reverse("wagtailadmin_pages:edit", args=[page.pk])

    def start(self, *, user: AbstractBaseUser | None, translator: MachineTranslator | None) -> None:
        """Turn the alias into a draft translation (pre-filled by `translator` if given). Raises
        MachineTranslationError when the engine fails."""
        self.target = page_translation_start(source=self.source, language=self.language, user=user)
        if translator is not None:
            page_translation_prefill(source=self.source, target=self.target, translator=translator, user=user)


translation_subject_register(PageTranslationSubject)


class VocabularyTranslationSubject(TranslationSubject):
    """A vocabulary term's label and description in one language (one record per language, `simple_translation`'s
    model). A term has no drafts: saving the translation publishes it, recorded with its provenance."""

    field_names = ["label", "description"]

    @property
    def object_key(self) -> str:
        return str(self.item.translation_key)

    def texts(self) -> dict[str, Any]:
        terms = self.model.objects.filter(translation_key=self.item.translation_key).select_related("locale")
        return {term.locale.language_code: term for term in terms}

    def title(self) -> str:
        source = self.source_text()
        return source.label if source is not None else self.item.label

    def editor_url(self) -> str:
        term = self.target_text() or self.item
        viewset = self.model.snippet_viewset  # type: ignore[attr-defined]
        return reverse(viewset.get_url_name("edit"), args=[quote(term.pk)])

    def save_text(self, *, values: dict[str, Any], user: AbstractBaseUser | None) -> None:
        term = self.target_text() or self.source_text().copy_for_translation(
            Locale.objects.get(language_code=self.language)
        )
        for name, value in values.items():
            setattr(term, name, value)
        term.save()


for _model in VOCABULARY_MODELS:
    translation_subject_register(
        type(
            f"{_model.__name__}TranslationSubject",
            (VocabularyTranslationSubject,),
            {
                "kind": _model._meta.model_name,
                "model": _model,
                "text_model": _model,
                "permission": f"core.change_{_model._meta.model_name}",
            },
        )
    )


def vocabulary_records_backfill() -> int:
    """Records for the vocabulary terms from before they had provenance: the default language's label is the
    original, the others translated by people (core.translation_services.versions_backfill)."""
    created = 0
    for model in VOCABULARY_MODELS:
        if model._meta.db_table not in connection.introspection.table_names():
            continue
        known = set(
            TranslationRecord.objects.filter(content_type=ContentType.objects.get_for_model(model)).values_list(
                "object_key", "language"
            )
        )
        groups: dict[str, dict[str, Any]] = {}
        for term in model.objects.select_related("locale"):
            groups.setdefault(str(term.translation_key), {})[term.locale.language_code] = term
        subject = TRANSLATION_SUBJECTS[str(model._meta.model_name)]
        for key, terms in groups.items():
            source_language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in terms else next(iter(terms))
            created += versions_backfill(
                obj=terms[source_language],
                object_key=key,
                source_language=source_language,
                texts=terms,
                fields=subject(item=terms[source_language], language=source_language).fields(),
                translated_at=None,
                known=known,
            )
    return created


translation_backfill_register(vocabulary_records_backfill)
