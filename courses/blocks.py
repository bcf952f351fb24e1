from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh hoặc infographic"))
    alt = blocks.CharBlock(
        label=_("Mô tả ảnh cho người không xem được"), max_length=250
    )
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Ảnh có chú thích")
        template = "courses/blocks/figure.html"


class MediaBlock(blocks.StructBlock):
    """Kept simple until the video issue brings transcoding: a file URL."""

    url = blocks.URLBlock(label=_("Đường dẫn tệp"))
    title = blocks.CharBlock(label=_("Tiêu đề"), max_length=200)
    transcript = blocks.TextBlock(label=_("Lời thoại"), required=False)


class VideoBlock(MediaBlock):
    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class AudioBlock(MediaBlock):
    class Meta:
        icon = "media"
        label = _("Âm thanh")
        template = "courses/blocks/audio.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Tài liệu"))
    title = blocks.CharBlock(label=_("Tên hiển thị"), max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Tài liệu tải về")
        template = "courses/blocks/document.html"


class KeyFactsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tiêu đề"), default="Ghi nhớ", max_length=100)
    items = blocks.ListBlock(blocks.CharBlock(max_length=400), label=_("Các ý chính"))

    class Meta:
        icon = "pick"
        label = _("Ghi nhớ")
        template = "courses/blocks/key_facts.html"


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tên nguồn"), max_length=300)
    url = blocks.URLBlock(label=_("Đường dẫn"), required=False)


class SourcesBlock(blocks.StructBlock):
    items = blocks.ListBlock(SourceBlock(), label=_("Nguồn"))

    class Meta:
        icon = "link"
        label = _("Nguồn tham khảo")
        template = "courses/blocks/sources.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Văn bản"), features=["h3", "bold", "italic", "ol", "ul", "link"]
    )
    figure = FigureBlock()
    video = VideoBlock()
    audio = AudioBlock()
    document = DocumentBlock()
    key_facts = KeyFactsBlock()
    sources = SourcesBlock()
