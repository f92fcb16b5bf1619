from django.db.models.signals import post_save
from django.dispatch import receiver

from participation.core.page_cache import page_cache_watch
from participation.network.models import EventSession, MembersAreaPage, Registration


@receiver(post_save, sender=MembersAreaPage)
def keep_members_area_private(sender, instance, raw=False, **kwargs):
    """Every members' area page (each language's translation or alias) is restricted to the members' group, from the
    moment it is saved: nobody has to remember to set its privacy."""
    from participation.network.services import members_area_restrict

    if not raw:
        members_area_restrict(page=instance)


# An event's page shows its sessions and the seats left: a registration, a cancellation or a promotion from the
# waiting list forgets the kept pages.
page_cache_watch(EventSession, Registration)
