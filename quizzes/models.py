import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page, PreviewableMixin

from courses.page_mixins import AsciiSlugMixin, SingleQueryViewRestrictionsMixin

from .engine.scoring import Kind
from .page_forms import QuizPageForm
from .panels import BankSizePanel


class ReviewPolicy(models.TextChoices):
    """Before the keys may be shown, a learner still sees the score and which
    questions were wrong."""

    AFTER_LAST_ATTEMPT = (
        "after_last",
        _("Xem đáp án khi đã dùng hết lượt làm bài hoặc khi bài kiểm tra đóng"),
    )
    AFTER_CLOSE = "after_close", _("Xem đáp án sau khi bài kiểm tra đóng")
    AFTER_SUBMIT = (
        "after_submit",
        _(
            "Xem đáp án và giải thích ngay sau mỗi lần nộp (lượt sau có thể chép đáp án)"
        ),
    )
    NEVER = "never", _("Không cho xem đáp án")


class QuizPage(AsciiSlugMixin, SingleQueryViewRestrictionsMixin, Page):
    """A timed test at the end of a course."""

    intro = models.TextField(_("hướng dẫn"), blank=True)
    time_limit = models.DurationField(
        _("thời gian làm bài"),
        default=timedelta(minutes=15),
        help_text=_("Số phút, ví dụ 15 hoặc “15 phút”."),
    )
    question_count = models.PositiveSmallIntegerField(
        _("số câu hỏi mỗi lượt"), default=10, validators=[MinValueValidator(1)]
    )
    draw_tags = models.CharField(
        _("cách rút câu hỏi theo nhãn"),
        max_length=300,
        blank=True,
        help_text=_(
            "Cách nhau bằng dấu phẩy. “an-toan:3” rút 3 câu có nhãn an-toan; "
            "“an-toan” chỉ rút từ các câu có nhãn đó. Bỏ trống để rút từ cả ngân hàng."
        ),
    )
    shuffle_choices = models.BooleanField(_("đảo thứ tự đáp án"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("điểm đạt (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("số lượt làm bài"), default=3, help_text=_("0 là không giới hạn.")
    )
    min_minutes_between_attempts = models.PositiveIntegerField(
        _("thời gian chờ giữa hai lượt (phút)"), default=0
    )
    opens_at = models.DateTimeField(_("mở từ"), null=True, blank=True)
    closes_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    review_policy = models.CharField(
        _("xem lại bài"),
        max_length=20,
        choices=ReviewPolicy.choices,
        # Keys shown after each submit let the next attempt copy them.
        default=ReviewPolicy.AFTER_LAST_ATTEMPT,
    )
    counts_for_completion = models.BooleanField(
        _("tính vào hoàn thành khóa học"), default=True
    )

    base_form_class = QuizPageForm
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                BankSizePanel(),
                FieldRowPanel([FieldPanel("time_limit"), FieldPanel("question_count")]),
                FieldPanel("draw_tags"),
                FieldRowPanel(
                    [FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]
                ),
                FieldPanel("min_minutes_between_attempts"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("shuffle_choices"),
                FieldPanel("review_policy"),
                FieldPanel("counts_for_completion"),
            ],
            heading=_("Cài đặt bài kiểm tra"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bài kiểm tra")
        verbose_name_plural = _("bài kiểm tra")

    @property
    def time_limit_minutes(self) -> int:
        return max(1, round(self.time_limit.total_seconds() / 60))

    @property
    def tags(self) -> list[str]:
        return [t.strip() for t in self.draw_tags.split(",") if t.strip()]

    def serve(self, request, *args, **kwargs):
        from .views import quiz_page_serve

        return quiz_page_serve(request, quiz=self)


class Question(PreviewableMixin, ClusterableModel):
    """One question in a course's bank; a quiz draws from its course's bank."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("khóa học"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    kind = models.CharField(
        _("loại câu hỏi"),
        max_length=12,
        choices=[
            (Kind.SINGLE, _("Một đáp án đúng")),
            (Kind.MULTIPLE, _("Nhiều đáp án đúng")),
            (Kind.TRUE_FALSE, _("Đúng / Sai")),
        ],
        default=Kind.SINGLE,
    )
    text = models.TextField(_("câu hỏi"))
    explanation = models.TextField(
        _("giải thích"), help_text=_("Vì sao đáp án đúng là đúng.")
    )
    partial_credit = models.BooleanField(
        _("chấm điểm từng phần"),
        default=False,
        help_text=_("Chỉ với câu nhiều đáp án: mỗi lựa chọn đúng được một phần điểm."),
    )
    tags = models.CharField(_("nhãn"), max_length=200, blank=True)
    difficulty = models.CharField(
        _("độ khó"),
        max_length=10,
        blank=True,
        choices=[("easy", _("Dễ")), ("medium", _("Trung bình")), ("hard", _("Khó"))],
    )
    source_title = models.CharField(_("tên nguồn"), max_length=300, blank=True)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    # Set by the demo seed so that a new edition of a course's bank updates
    # this question in place instead of adding a copy.
    key = models.CharField(_("mã câu hỏi"), max_length=40, blank=True, editable=False)

    panels = [
        FieldPanel("course"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("difficulty")]),
        FieldPanel("text"),
        InlinePanel("choices", label=_("Đáp án"), min_num=2),
        FieldPanel("partial_credit"),
        FieldPanel("explanation"),
        FieldPanel("tags"),
        FieldPanel("source_title"),
        FieldPanel("source_url"),
    ]

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "key"],
                condition=~Q(key=""),
                name="one_question_per_key_and_course",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_preview_template(self, request, mode_name):
        return "quizzes/question_preview.html"

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("đáp án"), max_length=500)
    correct = models.BooleanField(_("đúng"), default=False)

    panels = [FieldPanel("text"), FieldPanel("correct")]

    def __str__(self) -> str:
        return self.text


class QuestionTranslation(models.Model):
    """A question in another language. The choices' texts are in the
    question's choice order; a choice keeps its identity (its id) whatever
    language it is shown in, so grading never reads a translation.
    source_hash: of the Vietnamese translated (quizzes/translation.py)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("ngôn ngữ"), max_length=12)
    text = models.TextField(_("câu hỏi"))
    choices = models.JSONField(_("đáp án"), default=list)
    explanation = models.TextField(_("giải thích"), blank=True)
    source_hash = models.CharField(max_length=16)
    reviewed = models.BooleanField(_("đã được người dịch kiểm tra"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản dịch câu hỏi")
        verbose_name_plural = _("bản dịch câu hỏi")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "language"],
                name="one_translation_per_question_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id} [{self.language}]"


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("Đang làm")
    FINISHED = "finished", _("Đã nộp")


class FinishReason(models.TextChoices):
    SUBMITTED = "submitted", _("Học viên nộp bài")
    TIMED_OUT = "timed_out", _("Hết giờ, hệ thống tự nộp")


class Attempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, related_name="attempts"
    )
    # The quiz's course, kept here so reports count test-takers per course
    # without walking the page tree.
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField()
    extra_time = models.DurationField(default=timedelta)
    deadline = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    finish_reason = models.CharField(
        max_length=10, choices=FinishReason.choices, blank=True
    )
    # The questions drawn for this attempt, in order, and each one's choice order.
    question_ids = models.JSONField(default=list)
    choice_order = models.JSONField(default=dict)
    points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    score_percent = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True)
    per_question = models.JSONField(default=dict, blank=True)
    # The content language the test was started in (the certificate's).
    language = models.CharField(max_length=12, default="vi")

    class Meta:
        verbose_name = _("lượt làm bài")
        verbose_name_plural = _("lượt làm bài")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="open"),
                name="one_open_attempt_per_learner_and_quiz",
            )
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["user", "quiz"]),
            # The live dashboard's last minutes (hocvuso/reports/live.py).
            models.Index(
                fields=["finished_at"],
                condition=Q(status="finished"),
                name="attempt_finished_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.quiz} ({self.started_at:%d/%m/%Y %H:%M})"


class Answer(models.Model):
    """The latest acknowledged answer to one question of one attempt.

    Written only by an upsert that keeps the highest client sequence number.
    """

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers"
    )
    question_id = models.BigIntegerField()
    choice_ids = models.JSONField(default=list)
    seq = models.BigIntegerField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id} #{self.seq}"


class ExtraTimeGrant(models.Model):
    """Extra minutes for one learner or for every learner of a unit.

    A grant reaches the attempts open when it is given. Only a grant to a named
    learner may also reach attempts they start later, until applies_until: a
    learner picks their own unit, so a unit's grant must not follow whoever
    moves there afterwards.
    """

    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, related_name="extra_time_grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgunits.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    reason = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    applies_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) ^ Q(unit__isnull=False),
                name="extra_time_for_a_learner_or_a_unit",
            ),
            models.CheckConstraint(
                condition=Q(applies_until__isnull=True) | Q(user__isnull=False),
                name="extra_time_window_only_for_a_learner",
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.minutes}′ {self.user or self.unit}"


class QuestionImportPreview(models.Model):
    """The questions a dry run found good, kept so that its author can confirm
    them without uploading the file again (issue 24, item 12). Bound to the
    author and the course; confirmed once."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    questions = models.JSONField(default=list)  # ParsedQuestion fields, in order
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
