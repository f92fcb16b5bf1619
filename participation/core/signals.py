from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.signals import page_published

from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.selectors import vocabulary_labels_clear
from participation.core.translation_services import page_version_published, translation_records_backfill


def _clear_labels(sender, **kwargs):
    vocabulary_labels_clear(model=sender)


for _model in VOCABULARY_MODELS:
    post_save.connect(_clear_labels, sender=_model, dispatch_uid=f"vocabulary-labels-{_model.__name__}")
    post_delete.connect(_clear_labels, sender=_model, dispatch_uid=f"vocabulary-labels-delete-{_model.__name__}")


def _page_published(sender, instance, **kwargs):
    page_version_published(page=instance)


page_published.connect(_page_published, dispatch_uid="translation-record-page-published")


def _records_for_existing_content(sender, **kwargs):
    """After `migrate` (every app's tables are up to date then): provenance records for the content from before
    decision 0117 (originals and human translations; aliases stay missing translations). Idempotent."""
    if sender.label == "core":
        translation_records_backfill()


post_migrate.connect(_records_for_existing_content, dispatch_uid="translation-records-backfill")
