from django.conf import settings
from django.utils.translation import get_language

from participation.core.mail import service_address


def platform(request):
    return {
        "CONTACT_EMAILS": settings.PARTICIPATION_CONTACT_EMAILS,
        # The service's mailbox in the reader's language (French for English).
        "CONTACT_EMAIL": service_address(get_language()),
        # Every map of the site (components: static/js/map.js) uses these tiles.
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }
