from wagtail import hooks

from participation.newsletter.viewsets import SubscriberExportViewSet


@hooks.register("register_admin_viewset")
def register_viewset() -> SubscriberExportViewSet:
    return SubscriberExportViewSet()
