from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "h3", "ol", "ul", "link", "document-link"]


class NoticeBlock(blocks.RichTextBlock):
    class Meta:
        icon = "info-circle"
        label = _("Notice")
        template = "components/notice_block.html"


class AnnouncementBlock(blocks.StructBlock):
    """A dated announcement ("the 2026 programme is coming"): shown until its date, then left out of the page by
    itself, and listed for editors on the admin's dashboard so that it does not go stale silently."""

    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    show_until = blocks.DateBlock(
        label=_("Show until"), help_text=_("The last day it is true. After it, the page leaves it out.")
    )

    class Meta:
        icon = "date"
        label = _("Dated announcement")
        template = "components/announcement_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["current"] = value["show_until"] >= timezone.localdate()
        return context


class EntryPointBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("page"))
    text = blocks.CharBlock(label=_("short description"), max_length=200, required=False)

    class Meta:
        icon = "link"
        label = _("Entry point")


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), icon="title", form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    notice = NoticeBlock(features=RICH_TEXT_FEATURES)
    announcement = AnnouncementBlock()
