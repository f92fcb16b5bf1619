from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save

from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.selectors import vocabulary_labels_clear


def _clear_labels(sender, **kwargs):
    vocabulary_labels_clear(model=sender)


for _model in VOCABULARY_MODELS:
    post_save.connect(_clear_labels, sender=_model, dispatch_uid=f"vocabulary-labels-{_model.__name__}")
    post_delete.connect(_clear_labels, sender=_model, dispatch_uid=f"vocabulary-labels-delete-{_model.__name__}")


def admin_session_shorten(*, request, user, **kwargs):
    """An account that reaches the admin gets a session of ADMIN_SESSION_SECONDS, not the site's two weeks, whatever
    form it signed in with."""
    if user.has_perm("wagtailadmin.access_admin"):
        request.session.set_expiry(settings.ADMIN_SESSION_SECONDS)


user_logged_in.connect(admin_session_shorten, dispatch_uid="admin-session-shortened")
