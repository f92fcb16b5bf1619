from django.apps import apps as django_apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
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
    MapCell,
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


def _map_links_changed(sender=None, action="", **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        services.map_cells_outdate()


# The map's kept cells are computed again after each change of an initiative (decision 0017), and of its links to the
# terms of a kept filter (a theme, a commune: MapCell.KEPT_FILTERS).
post_save.connect(_map_changed, sender=Initiative, dispatch_uid="initiatives-map-cells-saved")
post_delete.connect(_map_changed, sender=Initiative, dispatch_uid="initiatives-map-cells-deleted")
for _lookup in MapCell.KEPT_FILTERS.values():
    _field = Initiative._meta.get_field(_lookup.split("__")[0])
    if _field.many_to_many:
        m2m_changed.connect(
            _map_links_changed, sender=_field.remote_field.through, dispatch_uid=f"initiatives-map-cells-{_field.name}"
        )


def _map_cells_after_migrate(sender, apps=None, **kwargs):
    """After `migrate`: the kept cells that a migration marked out of date are computed with today's models (a
    migration never computes them: the code would have to fit every later model), unless the database was migrated
    back to a state they do not fit. `flush` sends the signal too, without `apps`: nothing was migrated then."""
    if apps is None:
        return
    try:
        migrated = apps.get_model("initiatives", "MapCell")
    except LookupError:
        return
    if {field.name for field in migrated._meta.fields} == {field.name for field in MapCell._meta.fields}:
        services.map_cells_rebuild()


# Sent once per app after `migrate`: the initiatives' own is enough (every app's tables are migrated by then).
post_migrate.connect(
    _map_cells_after_migrate,
    sender=django_apps.get_app_config("initiatives"),
    dispatch_uid="initiatives-map-cells-migrated",
)
