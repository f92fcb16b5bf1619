from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from participation.initiatives.models import InitiativeIndexPage
from participation.initiatives.selectors import index_url_clear


def _clear(sender=None, **kwargs):
    index_url_clear()


for _signal in (page_published, page_unpublished, post_delete):
    _signal.connect(_clear, sender=InitiativeIndexPage, dispatch_uid=f"initiatives-index-url-{id(_signal)}")
post_page_move.connect(_clear, dispatch_uid="initiatives-index-url-move")
