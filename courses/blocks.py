from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


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
    """A transcoded video or audio (a LessonMedia snippet)."""

    media = SnippetChooserBlock("courses.LessonMedia", label=_("Video / âm thanh"))
    required = blocks.BooleanBlock(
        label=_("Bắt buộc xem hết"),
        required=False,
        default=True,
        help_text=_("Bài học hoàn thành khi học viên đã xem hoặc nghe 90%."),
    )

    def get_context(self, value, parent_context=None):
        # The learner's resume position is not in the page (the same for
        # every reader): page_state.js sets data-position from the page state.
        from .media_versions import media_in_language

        context = super().get_context(value, parent_context=parent_context)
        context["heartbeat_seconds"] = settings.MEDIA_HEARTBEAT_SECONDS
        # The body is rendered (and kept) per language: lesson_body.py.
        context["shown"] = media_in_language(
            value.get("media"), translation.get_language()
        )
        return context


class VideoBlock(MediaBlock):
    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/media.html"


class AudioBlock(MediaBlock):
    class Meta:
        icon = "media"
        label = _("Âm thanh")
        template = "courses/blocks/media.html"


class PackageBlock(blocks.StructBlock):
    """A content package (SCORM 1.2, SCORM 2004, H5P) played in a sandboxed
    frame; its runtime's status and score are recorded per learner
    (courses.api)."""

    package = SnippetChooserBlock("courses.ContentPackage", label=_("Gói nội dung"))
    required = blocks.BooleanBlock(
        label=_("Bắt buộc hoàn thành"),
        required=False,
        default=True,
        help_text=_("Bài học hoàn thành khi gói báo học viên đã hoàn thành hoặc đạt."),
    )

    class Meta:
        icon = "form"
        label = _("Gói nội dung (SCORM, H5P)")
        template = "courses/blocks/package.html"


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
    package = PackageBlock()
    document = DocumentBlock()
    key_facts = KeyFactsBlock()
    sources = SourcesBlock()
