from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.page_cache import page_cache_clear, page_cache_watch
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
    decision 0019 (originals and human translations; aliases stay missing translations). Idempotent."""
    if sender.label == "core":
        translation_records_backfill()


post_migrate.connect(_records_for_existing_content, dispatch_uid="translation-records-backfill")


def _page_changed(sender, **kwargs):
    page_cache_clear()


# The kept anonymous pages are forgotten when a page is published, unpublished, moved, translated (a new page in
# another locale), saved or deleted, and when a vocabulary, an image, a document, a site or a page's privacy changes.
# Each domain watches the records its pages show (its signals.py).
page_cache_watch(
    *get_page_models(),
    *VOCABULARY_MODELS,
    get_image_model(),
    get_document_model(),
    Site,
    Locale,
    PageViewRestriction,
)
page_published.connect(_page_changed, dispatch_uid="page-cache-published")
page_unpublished.connect(_page_changed, dispatch_uid="page-cache-unpublished")
post_page_move.connect(_page_changed, dispatch_uid="page-cache-moved")


def admin_session_shorten(*, request, user, **kwargs):
    """An account that reaches the admin gets a session of ADMIN_SESSION_SECONDS, not the site's two weeks, whatever
    form it signed in with."""
    if user.has_perm("wagtailadmin.access_admin"):
        request.session.set_expiry(settings.ADMIN_SESSION_SECONDS)


user_logged_in.connect(admin_session_shorten, dispatch_uid="admin-session-shortened")
