import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from . import package_archive
from .blocks import LessonBodyBlock
from .course_site_form import CoursePageForm
from .page_mixins import (
    AsciiSlugMixin,
    SharedPageMixin,
    SingleQueryViewRestrictionsMixin,
)


class Audience(models.TextChoices):
    TEAM = "team", _("Tổ công nghệ số cộng đồng")
    CITIZEN = "citizen", _("Người dân")
    BOTH = "both", _("Tổ công nghệ số cộng đồng và người dân")
    PUBLIC_SERVANT = "civil", _("Cán bộ, công chức, viên chức")
    WORKER = "worker", _("Người lao động trong doanh nghiệp")


class CatalogPage(
    SharedPageMixin, AsciiSlugMixin, SingleQueryViewRestrictionsMixin, Page
):
    """The course catalogue: parent of every course and programme."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = [
        "courses.CoursePage",
        "courses.ProgrammePage",
        "courses.GlossaryPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("danh mục khóa học")

    state_templates = {"courses": "courses/_course_list.html"}

    def reader_context(self, *, user, site_id: int | None) -> dict:
        from .selectors import catalog_get

        catalog = catalog_get(catalog=self, user=user, site_id=site_id)
        return {"catalog": catalog, "cards": catalog.courses}


class CoursePage(
    SharedPageMixin, AsciiSlugMixin, SingleQueryViewRestrictionsMixin, Page
):
    topic_number = models.PositiveSmallIntegerField(
        _("số thứ tự chuyên đề"),
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    audience = models.CharField(
        _("đối tượng"), max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    summary = models.TextField(_("tóm tắt"), max_length=300)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh bìa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("thời lượng (phút)"), default=30
    )
    objectives = StreamField(
        [("objective", blocks.CharBlock(label=_("Mục tiêu"), max_length=250))],
        verbose_name=_("mục tiêu học tập"),
        blank=True,
    )
    lessons_in_order = models.BooleanField(
        _("học lần lượt từng bài"),
        default=True,
        help_text=_("Bài sau chỉ mở khi đã hoàn thành bài trước."),
    )
    completion_requires_lessons = models.BooleanField(
        _("phải học xong các bài bắt buộc"), default=True
    )
    completion_requires_test = models.BooleanField(
        _("phải đạt bài kiểm tra cuối khóa"),
        default=True,
        help_text=_("Chỉ tính các bài kiểm tra được đánh dấu “tính vào hoàn thành”."),
    )
    # A province's own course (course_sites.py): only its site lists and
    # opens it. A Wagtail site, not a province: courses imports no other app.
    owner_site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("khóa học riêng của trang"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Bỏ trống: khóa học dùng chung cho mọi trang. Chọn trang của một tỉnh: "
            "chỉ người học trên trang đó thấy, học và kiểm tra khóa học này."
        ),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("topic_number"),
                FieldPanel("audience"),
                FieldPanel("estimated_minutes"),
                FieldPanel("lessons_in_order"),
            ],
            heading=_("Thông tin khóa học"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("completion_requires_lessons"),
                FieldPanel("completion_requires_test"),
            ],
            heading=_("Điều kiện hoàn thành"),
        ),
        FieldPanel("owner_site"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("objectives"),
    ]
    base_form_class = CoursePageForm
    parent_page_types = ["courses.CatalogPage"]
    # A string, not an import: courses depends on no other domain app.
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("khóa học")
        verbose_name_plural = _("khóa học")

    state_templates = {
        "status": "courses/_course_status.html",
        "lessons": "courses/_course_lessons.html",
    }

    def reader_context(self, *, user, site_id: int | None) -> dict:
        from .selectors import course_completion_get, course_progress_get

        return {
            "progress": course_progress_get(course=self, user=user),
            "completion": course_completion_get(course=self, user=user),
            "reader_is_anonymous": not user.is_authenticated,
        }

    @property
    def completion_rule(self):
        from .completion import CompletionRule

        return CompletionRule(
            requires_lessons=self.completion_requires_lessons,
            requires_test=self.completion_requires_test,
        )


class LessonPage(AsciiSlugMixin, SingleQueryViewRestrictionsMixin, Page):
    summary = models.CharField(_("tóm tắt"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("thời lượng (phút)"), default=10
    )
    required = models.BooleanField(
        _("bắt buộc"),
        default=True,
        help_text=_("Tính vào điều kiện hoàn thành khóa học."),
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("nội dung"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("required"),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bài học")
        verbose_name_plural = _("bài học")

    def serve(self, request, *args, **kwargs):
        from .views import lesson_serve

        return lesson_serve(request, lesson=self)

    def personal_state(self, request) -> dict:
        from .views import lesson_personal_state

        return lesson_personal_state(request, lesson=self)


class ProgrammePage(
    SharedPageMixin, AsciiSlugMixin, SingleQueryViewRestrictionsMixin, Page
):
    """A programme groups courses for one audience (e.g. all seven topics)."""

    audience = models.CharField(_("đối tượng"), max_length=10, choices=Audience.choices)
    summary = models.TextField(_("tóm tắt"), max_length=400)

    content_panels = Page.content_panels + [
        FieldPanel("audience"),
        FieldPanel("summary"),
        InlinePanel("programme_courses", label=_("Khóa học trong chương trình")),
    ]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")

    state_templates = {"courses": "courses/_course_list.html"}

    def reader_context(self, *, user, site_id: int | None) -> dict:
        from .selectors import programme_courses_list

        return {
            "cards": programme_courses_list(programme=self, user=user, site_id=site_id)
        }


class GlossaryTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Thuật ngữ"), max_length=100)
    anchor = blocks.RegexBlock(
        label=_("Mã liên kết"),
        regex=r"^[a-z0-9-]+$",
        max_length=60,
        help_text=_("Chữ thường không dấu và dấu gạch ngang, ví dụ xac-thuc-hai-lop."),
        error_messages={"invalid": _("Chỉ dùng chữ thường không dấu, số và dấu “-”.")},
    )
    also = blocks.CharBlock(label=_("Còn gọi là"), required=False, max_length=200)
    definition = blocks.TextBlock(label=_("Giải thích"))

    class Meta:
        icon = "openquote"
        label = _("Thuật ngữ")


class GlossaryPage(
    SharedPageMixin, AsciiSlugMixin, SingleQueryViewRestrictionsMixin, Page
):
    """One list of the terms the courses use, each with its own anchor, so a
    lesson can link to #anchor and every course says a thing the same way."""

    intro = models.TextField(_("giới thiệu"), blank=True)
    terms = StreamField(
        [("term", GlossaryTermBlock())], verbose_name=_("thuật ngữ"), blank=True
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("terms")]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("bảng thuật ngữ")
        verbose_name_plural = _("bảng thuật ngữ")


class ProgrammeCourse(Orderable):
    programme = ParentalKey(
        ProgrammePage, related_name="programme_courses", on_delete=models.CASCADE
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("khóa học"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "course"], name="uniq_course_per_programme"
            )
        ]


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField()
    last_lesson = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="uniq_enrolment")
        ]
        indexes = [
            models.Index(fields=["user", "-last_activity_at"]),
            # The live dashboard's last minutes (hocvuso/reports/live.py).
            models.Index(fields=["last_activity_at"], name="enrolment_activity_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course}"


class LessonProgress(models.Model):
    """A learner's state in one lesson: opened (took part) and completed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="progress"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tiến độ bài học")
        verbose_name_plural = _("tiến độ bài học")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="uniq_lesson_progress"
            )
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.lesson}"


class MediaKind(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Âm thanh")


class MediaStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    PROCESSING = "processing", _("Đang xử lý")
    READY = "ready", _("Sẵn sàng")
    FAILED = "failed", _("Lỗi")


MAX_CAPTIONS_BYTES = 1024 * 1024


def _vtt_check(file) -> None:
    from django.core.exceptions import ValidationError

    message = _("Phụ đề phải là tệp WebVTT (.vtt).")
    if not file.name.lower().endswith(".vtt"):
        raise ValidationError(message)
    if file.size > MAX_CAPTIONS_BYTES:
        raise ValidationError(_("Tệp phụ đề lớn quá 1 MB."))
    file.seek(0)
    content = file.read(MAX_CAPTIONS_BYTES)
    file.seek(0)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(message) from exc
    if not text.startswith("WEBVTT") or "\0" in text:
        raise ValidationError(message)


def captions_upload_to(instance, filename: str) -> str:
    # Never the editor's name: the file is served from the site's origin.
    return f"media_captions/{uuid.uuid4().hex}.vtt"


class LessonMedia(models.Model):
    """A video or audio file of lessons, with what transcoding made of it.

    Output paths are relative to MEDIA_ROOT (hls/<id>/…), served by nginx."""

    kind = models.CharField(
        _("loại"), max_length=5, choices=MediaKind.choices, default=MediaKind.VIDEO
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    original = models.FileField(
        _("tệp gốc"),
        upload_to="media_originals/%Y/%m/",
        help_text=_("Video MP4, MOV, WebM hoặc âm thanh MP3, M4A, WAV."),
    )
    captions = models.FileField(
        _("phụ đề WebVTT"),
        upload_to=captions_upload_to,
        blank=True,
        validators=[_vtt_check],
    )
    transcript = models.TextField(_("lời thoại"), blank=True)
    # A version in another language is a LessonMedia of its own (its upload,
    # checks, transcoding, captions and duration are those of any media),
    # pointing at the Vietnamese media that lessons place: the lesson keeps
    # one block, the reader of `language` gets this version once ready.
    language = models.CharField(
        _("ngôn ngữ"),
        max_length=12,
        default="vi",
        help_text=_(
            "Tiếng Việt cho video, âm thanh gốc; ngôn ngữ khác cho bản dịch "
            "(chọn bản gốc bên dưới)."
        ),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("bản dịch của"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
        help_text=_(
            "Video, âm thanh tiếng Việt mà tệp này là bản dịch. Bài học vẫn "
            "đặt bản tiếng Việt; người học đọc bằng ngôn ngữ này sẽ xem bản dịch."
        ),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=MediaStatus.choices,
        default=MediaStatus.QUEUED,
        editable=False,
    )
    progress = models.PositiveSmallIntegerField(
        _("tiến độ xử lý (%)"), default=0, editable=False
    )
    failure_reason = models.TextField(_("lý do lỗi"), blank=True, editable=False)
    duration = models.FloatField(_("thời lượng (giây)"), null=True, editable=False)
    hls_master = models.CharField(max_length=255, blank=True, editable=False)
    fallback = models.CharField(max_length=255, blank=True, editable=False)
    poster = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("video / âm thanh")
        verbose_name_plural = _("video / âm thanh")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="one_media_version_per_language",
            )
        ]

    def __str__(self) -> str:
        if self.translation_of_id:
            return f"{self.title} [{self.language}]"
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .translation import content_languages, language_name, source_language

        super().clean()
        source = self.translation_of
        if source is None:
            if self.language != source_language():
                raise ValidationError(
                    {
                        "translation_of": _(
                            "Bản bằng ngôn ngữ khác phải chọn bản tiếng Việt "
                            "mà nó dịch."
                        )
                    }
                )
            return
        if self.language not in content_languages():
            raise ValidationError(
                {"language": _("Bản dịch phải bằng một ngôn ngữ khác tiếng Việt.")}
            )
        if source.translation_of_id is not None or (
            self.pk is not None and source.pk == self.pk
        ):
            raise ValidationError(
                {"translation_of": _("Hãy chọn bản tiếng Việt, không chọn bản dịch.")}
            )
        if self.pk is not None and self.translations.exists():
            raise ValidationError(
                {
                    "translation_of": _(
                        "Tệp này đã có bản dịch: nó là bản gốc, không thể là "
                        "bản dịch của tệp khác."
                    )
                }
            )
        if source.kind != self.kind:
            raise ValidationError(
                {
                    "kind": _(
                        "Bản dịch phải cùng loại (video hoặc âm thanh) với bản gốc."
                    )
                }
            )
        taken = LessonMedia.objects.filter(
            translation_of=source, language=self.language
        ).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError(
                {
                    "language": _("“%(title)s” đã có bản %(language)s.")
                    % {"title": source.title, "language": language_name(self.language)}
                }
            )

    @property
    def ready(self) -> bool:
        return self.status == MediaStatus.READY

    def status_display(self) -> str:
        if self.status == MediaStatus.PROCESSING:
            return f"{self.get_status_display()} {self.progress}%"
        if self.status == MediaStatus.FAILED:
            return f"{self.get_status_display()}: {self.failure_reason}"
        return self.get_status_display()

    status_display.short_description = _("trạng thái")


class MediaWatch(models.Model):
    """How long a learner has watched one media, credited by heartbeats."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    media = models.ForeignKey(
        LessonMedia, on_delete=models.CASCADE, related_name="watches"
    )
    watched_seconds = models.FloatField(default=0)
    position = models.FloatField(default=0)
    last_heartbeat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("thời gian xem")
        verbose_name_plural = _("thời gian xem")
        constraints = [
            models.UniqueConstraint(fields=["user", "media"], name="uniq_media_watch")
        ]
        # The live dashboard's last minutes; costs each heartbeat an index
        # entry (no HOT update), which the dashboard's scan would cost more.
        indexes = [
            models.Index(fields=["last_heartbeat_at"], name="media_watch_heartbeat_at")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.media_id}"


class CourseCompletion(models.Model):
    """A learner met the course's completion rule. Recorded once, never undone,
    so reports and certificates read one row instead of re-deriving the rule."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_completions",
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField()
    # The passing score of the final test that completed the course (best
    # passing attempt at that moment); null when the course has no counting test.
    score_percent = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("hoàn thành khóa học")
        verbose_name_plural = _("hoàn thành khóa học")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="uniq_course_completion"
            )
        ]
        indexes = [
            models.Index(fields=["course", "completed_at"]),
            # The live dashboard's last minutes, every course at once.
            models.Index(fields=["completed_at"], name="course_completion_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course}"


class ProgrammeCompletion(models.Model):
    """A learner completed every course of a programme. Recorded once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_completions",
    )
    programme = models.ForeignKey(
        ProgrammePage, on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hoàn thành chương trình")
        verbose_name_plural = _("hoàn thành chương trình")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="uniq_programme_completion"
            )
        ]
        indexes = [models.Index(fields=["programme", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.programme}"


class PageTranslation(models.Model):
    """A page's text in another language, laid over the Vietnamese page
    (courses/translation.py): segment key → {"text", "source_hash"}, the hash
    of the Vietnamese the segment was translated from."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("ngôn ngữ"), max_length=12)
    segments = models.JSONField(default=dict)
    reviewed = models.BooleanField(
        _("đã được người dịch kiểm tra"),
        default=False,
        help_text=_(
            "Bỏ trống khi bản dịch chưa được người dịch kiểm tra (bản dịch mẫu, "
            "dịch máy): người học thấy nhãn “Bản dịch mẫu”."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản dịch trang")
        verbose_name_plural = _("bản dịch trang")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="one_translation_per_page_language"
            )
        ]
        # The CMS's "Bản dịch" screens (export, import, stale segments) for
        # every course: held by the translators' group and superusers.
        permissions = [("translate_content", _("Dịch nội dung khóa học"))]

    def __str__(self) -> str:
        return f"{self.page_id} [{self.language}]"


class PackageStatus(models.TextChoices):
    """SCORM 1.2's cmi.core.lesson_status vocabulary, nothing else; SCORM
    2004's and H5P's results are put in these words by their runtimes
    (static/courses/scorm2004_api.js, h5p_player.js)."""

    NOT_ATTEMPTED = "not attempted", _("Chưa học")
    BROWSED = "browsed", _("Đã xem qua")
    INCOMPLETE = "incomplete", _("Đang học")
    FAILED = "failed", _("Chưa đạt")
    COMPLETED = "completed", _("Đã hoàn thành")
    PASSED = "passed", _("Đạt")


# The statuses that mean the learner is done with the package.
PACKAGE_DONE_STATUSES = (PackageStatus.COMPLETED, PackageStatus.PASSED)


def package_upload_to(instance, filename: str) -> str:
    # Kept only to unpack again; never served (nginx answers 404 there).
    return f"package_originals/{uuid.uuid4().hex}.zip"


class PackageKind(models.TextChoices):
    # What package_archive.package_inspect finds a package to be.
    SCORM_12 = package_archive.SCORM_12, "SCORM 1.2"
    SCORM_2004 = package_archive.SCORM_2004, "SCORM 2004"
    H5P = package_archive.H5P, "H5P"


class ContentPackage(models.Model):
    """A SCORM 1.2, SCORM 2004 or H5P package of lessons: its zip, and its
    files unpacked into MEDIA_ROOT/packages/<uuid>/, served only by
    courses.package_views under /goi-noi-dung/<uuid>/ in a sandbox
    (docs/content-packages.md)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("tiêu đề"), max_length=200)
    archive = models.FileField(
        _("tệp gói (.zip, .h5p)"),
        upload_to=package_upload_to,
        help_text=_(
            "Gói SCORM 1.2, SCORM 2004 (.zip) hoặc H5P (.h5p) xuất từ công cụ "
            "soạn bài, tối đa 100 MB."
        ),
    )
    kind = models.CharField(
        _("loại gói"),
        max_length=9,
        choices=PackageKind.choices,
        default=PackageKind.SCORM_12,
        editable=False,
    )
    launch = models.CharField(max_length=255, editable=False)
    file_count = models.PositiveIntegerField(default=0, editable=False)
    unpacked_bytes = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gói nội dung")
        verbose_name_plural = _("gói nội dung")

    def __str__(self) -> str:
        return self.title

    @property
    def launch_url(self) -> str:
        from django.urls import reverse

        if self.kind == PackageKind.H5P:
            # H5P has no page of its own: the player page plays its folder.
            return reverse("content_package_player", kwargs={"uuid": self.uuid})
        return reverse(
            "content_package_file", kwargs={"uuid": self.uuid, "path": self.launch}
        )


class PackageAttempt(models.Model):
    """What a package's runtime last reported for one learner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    package = models.ForeignKey(
        ContentPackage, on_delete=models.CASCADE, related_name="attempts"
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=13,
        choices=PackageStatus.choices,
        default=PackageStatus.NOT_ATTEMPTED,
    )
    score = models.FloatField(
        _("điểm (0–100)"),
        null=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    best_score = models.FloatField(_("điểm cao nhất"), null=True)
    # Where the learner was, as the package wrote it (SCORM's cmi.suspend_data
    # and lesson location, H5P's current state), given back on the next visit.
    suspend_data = models.TextField(blank=True, default="")
    location = models.CharField(max_length=1000, blank=True, default="")
    completed_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("kết quả gói nội dung")
        verbose_name_plural = _("kết quả gói nội dung")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "package"], name="uniq_package_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.package_id}"
