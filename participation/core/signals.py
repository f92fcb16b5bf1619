from django.db.models.signals import post_delete, post_save

from participation.core.models.vocabularies import VOCABULARY_MODELS
from participation.core.selectors import vocabulary_labels_clear


def _clear_labels(sender, **kwargs):
    vocabulary_labels_clear(model=sender)


for _model in VOCABULARY_MODELS:
    post_save.connect(_clear_labels, sender=_model, dispatch_uid=f"vocabulary-labels-{_model.__name__}")
    post_delete.connect(_clear_labels, sender=_model, dispatch_uid=f"vocabulary-labels-delete-{_model.__name__}")
