from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from participation.core.page_cache import page_cache_watch
from participation.initiatives import services
from participation.initiatives.models import InitiativeIndexPage
from participation.initiatives.models.records import (
    Initiative,
    InitiativeImage,
    InitiativeLink,
    InitiativeStep,
    InitiativeTranslation,
)


def _clear(sender=None, **kwargs):
    InitiativeIndexPage.for_language_clear()


for _signal in (page_published, page_unpublished, post_delete):
    _signal.connect(_clear, sender=InitiativeIndexPage, dispatch_uid=f"initiatives-index-page-{id(_signal)}")
post_page_move.connect(_clear, dispatch_uid="initiatives-index-page-move")

# The map, its data and exports, the statistics, the commune pages, the initiatives' pages and the cards on other pages
# show these records: the kept pages are forgotten when one changes.
page_cache_watch(Initiative, InitiativeTranslation, InitiativeStep, InitiativeImage, InitiativeLink)


def _map_changed(sender=None, **kwargs):
    services.map_cells_outdate()


# The map's kept cells of the whole catalogue are computed again after each change of an initiative (decision 0017).
post_save.connect(_map_changed, sender=Initiative, dispatch_uid="initiatives-map-cells-saved")
post_delete.connect(_map_changed, sender=Initiative, dispatch_uid="initiatives-map-cells-deleted")
