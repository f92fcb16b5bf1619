from wagtail.signals import published

from participation.initiatives.models import Initiative
from participation.submissions import services


def _initiative_published(sender, instance, **kwargs):
    """Published in the editor or from the moderation page: the submissions waiting for it are decided."""
    services.initiative_published(initiative=instance)


published.connect(_initiative_published, sender=Initiative, dispatch_uid="submissions-initiative-published")
