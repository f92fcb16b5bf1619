"""The provenance of an initiative's texts (decision 0019): one translation record per language, written when the
initiative is published, the original language's texts being the source of the others; the initiatives' rows of the
translators' overview; and their "Translate" screen, whose translation is a draft revision until it is published."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.urls import reverse
from wagtail.signals import published

from participation.core.models import TranslationRecord
from participation.core.translation_selectors import (
    TranslationItem,
    text_items,
    translation_item_source_register,
)
from participation.core.translation_services import (
    translation_backfill_register,
    translation_draft_written,
    versions_backfill,
    versions_published,
)
from participation.core.translation_subjects import TranslationSubject, translation_subject_register
from participation.initiatives.models import Initiative, InitiativeTranslation

TEXT_FIELDS = ["title", "summary", *InitiativeTranslation.SECTION_FIELDS]


def text_fields() -> list[models.Field]:
    return [InitiativeTranslation._meta.get_field(name) for name in TEXT_FIELDS]


def initiative_texts_published(*, initiative: Initiative) -> list[TranslationRecord]:
    """Records for each language's texts of a published initiative (core.translation_services.versions_published)."""
    return versions_published(
        obj=initiative,
        object_key=str(initiative.pk),
        source_language=initiative.original_language,
        texts={text.language: text for text in initiative.translations.all()},
        fields=text_fields(),
    )


def _published(sender, instance, **kwargs):
    initiative_texts_published(initiative=instance)


published.connect(_published, sender=Initiative, dispatch_uid="initiative-translation-records")


BACKFILL_CHUNK = 500  # initiatives read at once by the back-fill (a bounded `IN` list on every database)


def initiative_records_backfill() -> int:
    """Records for the initiatives from before decision 0019 (see core.translation_services)."""
    if Initiative._meta.db_table not in connection.introspection.table_names():
        return 0
    content_type = ContentType.objects.get_for_model(Initiative)
    known = set(TranslationRecord.objects.filter(content_type=content_type).values_list("object_key", "language"))
    # Only the initiatives with a text that has no record are read (after every `migrate`: usually none; reading and
    # digesting all of them took more than ten minutes at 100,000 initiatives).
    unrecorded = sorted(
        {
            pk
            for pk, language in InitiativeTranslation.objects.filter(initiative__live=True).values_list(
                "initiative_id", "language"
            )
            if (str(pk), language) not in known
        }
    )
    created = 0
    for start in range(0, len(unrecorded), BACKFILL_CHUNK):
        chunk = unrecorded[start : start + BACKFILL_CHUNK]
        for initiative in Initiative.objects.filter(pk__in=chunk).prefetch_related("translations"):
            created += versions_backfill(
                obj=initiative,
                object_key=str(initiative.pk),
                source_language=initiative.original_language,
                texts={text.language: text for text in initiative.translations.all()},
                fields=text_fields(),
                translated_at=initiative.last_published_at or initiative.first_published_at,
                known=known,
            )
    return created


translation_backfill_register(initiative_records_backfill)


def initiative_translation_items() -> list[TranslationItem]:
    """The initiatives' rows of the translators' overview (three queries)."""
    return text_items(
        model=Initiative,
        kind=str(Initiative._meta.verbose_name),
        rows=[
            (str(pk), language, title)
            for pk, language, title in InitiativeTranslation.objects.order_by("initiative_id").values_list(
                "initiative_id", "language", "title"
            )
        ],
        source_languages={
            str(pk): language for pk, language in Initiative.objects.values_list("pk", "original_language")
        },
        translate_url=lambda key, language: reverse("translations:translate", args=["initiative", key, language]),
    )


translation_item_source_register(initiative_translation_items)


class InitiativeTranslationSubject(TranslationSubject):
    """An initiative's texts in one language. The translation is saved as a draft revision of the initiative;
    moderators publish it in the initiative's editor, as any change (its publication records the provenance)."""

    kind = "initiative"
    model = Initiative
    text_model = InitiativeTranslation
    field_names = TEXT_FIELDS
    keeps_drafts = True
    permission = "initiatives.change_initiative"

    @property
    def source_language(self) -> str:
        return self.item.original_language

    @property
    def menu_language(self) -> str:
        return self.item.original_language

    def texts(self) -> dict[str, models.Model]:
        return {text.language: text for text in self.item.translations.all()}

    def draft_texts(self) -> dict[str, models.Model]:
        draft = self.item.get_latest_revision_as_object() if self.item.latest_revision_id else self.item
        return {text.language: text for text in draft.translations.all()}

    def target_text(self) -> models.Model | None:
        return self.draft_texts().get(self.language)

    def write(self, *, values: dict, provenance: str, user: AbstractBaseUser | None) -> None:
        draft = self.item.get_latest_revision_as_object() if self.item.latest_revision_id else self.item
        texts = list(draft.translations.all())
        target = next((text for text in texts if text.language == self.language), None)
        if target is None:
            target = InitiativeTranslation(language=self.language)
            texts.append(target)
        for name, value in values.items():
            setattr(target, name, value)
        draft.translations = texts
        draft.save_revision(user=user, log_action=True)
        translation_draft_written(
            obj=self.item,
            object_key=self.object_key,
            language=self.language,
            source_language=self.source_language,
            provenance=provenance,
        )


translation_subject_register(InitiativeTranslationSubject)
