from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from participation.initiatives.models import InitiativeIndexPage


def _clear(sender=None, **kwargs):
    InitiativeIndexPage.for_language_clear()


for _signal in (page_published, page_unpublished, post_delete):
    _signal.connect(_clear, sender=InitiativeIndexPage, dispatch_uid=f"initiatives-index-page-{id(_signal)}")
post_page_move.connect(_clear, dispatch_uid="initiatives-index-page-move")
