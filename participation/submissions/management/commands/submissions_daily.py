from django.core.management.base import BaseCommand
from django.utils import translation

from participation.submissions import selectors, services
from participation.submissions.models import SharePage


def _route(name):
    """Absolute address of a share-page route with a token, in a language (for emails sent by this command)."""

    def url(token, language):
        with translation.override(language):
            share = SharePage.objects.filter(locale__language_code=language).live().first()
            return selectors.absolute_url_build(f"{share.route_url(name)}?token={token}") if share else ""

    return url


class Command(BaseCommand):
    help = (
        "Daily housekeeping of shared initiatives (run it from cron once a day): ask the contacts of initiatives not "
        "verified for 12 months whether they are still up to date, send moderators the digest of what waits, delete "
        "drafts older than SUBMISSIONS_DRAFT_DAYS and erase the contact details of submissions declined more than a "
        "year ago."
    )

    def handle(self, *args, **options):
        asked = services.freshness_questions_send(verify_url=_route("verify"), update_url=_route("update"))
        notified = services.moderators_notify(force=True)
        purged, erased = services.retention_apply()
        self.stdout.write(
            f"Asked whether up to date: {asked}. "
            f"In the moderators' digest: {notified}. Old drafts deleted: {purged}. "
            f"Contacts of declined submissions erased: {erased}."
        )
