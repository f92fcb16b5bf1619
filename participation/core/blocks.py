from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "h3", "ol", "ul", "link", "document-link"]


class NoticeBlock(blocks.RichTextBlock):
    class Meta:
        icon = "info-circle"
        label = _("Notice")
        template = "components/notice_block.html"


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
