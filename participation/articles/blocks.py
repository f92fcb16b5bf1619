from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from participation.core.blocks import RICH_TEXT_FEATURES, NoticeBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"), help_text=_("What the image shows, for people who cannot see it.")
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        template = "articles/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("address of the video"))
    title = blocks.CharBlock(label=_("title of the video"))
    transcript = blocks.RichTextBlock(
        label=_("text alternative"), features=RICH_TEXT_FEATURES, help_text=_("A transcript or a full description.")
    )

    class Meta:
        icon = "media"
        template = "articles/blocks/video.html"


class RelatedLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    url = blocks.URLBlock(label=_("address"))


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), icon="title")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    quote = QuoteBlock(label=_("Quote"))
    image = ImageBlock(label=_("Image with caption"))
    video = VideoBlock(label=_("Video"))
    callout = NoticeBlock(label=_("Call-out"), features=RICH_TEXT_FEATURES)
    related_links = blocks.ListBlock(
        RelatedLinkBlock(), label=_("Related links"), template="articles/blocks/related_links.html"
    )
