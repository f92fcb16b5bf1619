from django.conf import settings


def platform(request):
    return {
        "CONTACT_EMAILS": settings.PARTICIPATION_CONTACT_EMAILS,
        # Every map of the site (components: static/js/map.js) uses these tiles.
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }
