"""Reads of attempts. Nothing here ever returns a correct answer for an
attempt that is still open (DESIGN §5, invariant 3)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from courses.translation import content_language, reader_language

from .bank import bank_get
from .engine.clock import accepts_answers, remaining_seconds
from .live import quiz_live_get
from .models import Attempt, AttemptStatus, FinishReason, QuizPage, ReviewPolicy
from .services import attempt_finish, grace


@dataclass(frozen=True)
class ChoiceView:
    id: int
    text: str


@dataclass(frozen=True)
class QuestionView:
    id: int
    number: int
    kind: str
    text: str
    choices: list[ChoiceView]
    chosen: list[int]
    # Shown in a translation no translator has checked.
    sample_translation: bool = False


@dataclass(frozen=True)
class SavedAnswer:
    choice_ids: list[int]
    seq: int


@dataclass(frozen=True)
class AttemptView:
    attempt: Attempt
    questions: list[QuestionView]
    answers: dict[int, SavedAnswer]
    server_time: datetime
    remaining_seconds: int

    @property
    def has_sample_translation(self) -> bool:
        return any(q.sample_translation for q in self.questions)


def attempt_for_user(
    *, attempt_id: int, user_id: int, now: datetime | None = None
) -> Attempt:
    """The learner's own attempt; an overdue one is finished on this read.

    Its test comes from the page cache (quiz_live_get), as every taker's
    page and call read the same one; an unpublished test is read if asked."""
    attempt = Attempt.objects.get(pk=attempt_id, user_id=user_id)
    quiz = quiz_live_get(quiz_id=attempt.quiz_id)
    if quiz is not None:
        attempt.quiz = quiz
    now = now or timezone.now()
    if attempt.status == AttemptStatus.OPEN and not accepts_answers(
        deadline=attempt.deadline, grace=grace(), now=now
    ):
        attempt = attempt_finish(
            attempt=attempt, now=now, reason=FinishReason.TIMED_OUT
        )
    return attempt


def attempt_view_get(
    *,
    attempt: Attempt,
    now: datetime | None = None,
    language: str | None = None,
    with_answers: bool = True,
) -> AttemptView:
    """The attempt's questions in `language` (default: the reader's) where
    translated; choice ids are the same in every language. Without
    `with_answers`, as if nothing were answered (no query)."""
    now = now or timezone.now()
    language = content_language(language) if language else reader_language()
    bank = bank_get(course_id=attempt.course_id)
    answers = (
        {
            a.question_id: SavedAnswer(choice_ids=a.choice_ids, seq=a.seq)
            for a in attempt.answers.all()
        }
        if with_answers
        else {}
    )
    questions = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        question = bank.get(qid)
        if question is None:
            continue
        shown = question.shown_in(language)
        order = attempt.choice_order.get(str(qid), list(shown.choices))
        questions.append(
            QuestionView(
                id=qid,
                number=number,
                kind=question.kind,
                text=shown.text,
                choices=[
                    ChoiceView(id=cid, text=shown.choices[cid])
                    for cid in order
                    if cid in shown.choices
                ],
                chosen=answers[qid].choice_ids if qid in answers else [],
                sample_translation=shown.translated and not shown.reviewed,
            )
        )
    return AttemptView(
        attempt=attempt,
        questions=questions,
        answers=answers,
        server_time=now,
        remaining_seconds=remaining_seconds(deadline=attempt.deadline, now=now),
    )


@dataclass(frozen=True)
class ReviewItem:
    question: QuestionView
    chosen: list[int]
    correct: list[int]
    points: float
    explanation: str
    source_title: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class QuestionOutcome:
    """Whether one question was right, without its key."""

    question_id: int
    number: int
    text: str
    points: float

    @property
    def outcome(self) -> str:
        if self.points >= 1:
            return "right"
        return "partly" if self.points > 0 else "wrong"


@dataclass(frozen=True)
class AttemptResult:
    attempt: Attempt
    review_allowed: bool
    review: list[ReviewItem]
    outcomes: list[QuestionOutcome]


def review_allowed(
    *, quiz: QuizPage, now: datetime, attempts_finished: Callable[[], int]
) -> bool:
    """`attempts_finished` is counted only when the policy needs it."""
    if quiz.review_policy == ReviewPolicy.AFTER_SUBMIT:
        return True
    closed = bool(quiz.closes_at and now >= quiz.closes_at)
    if quiz.review_policy == ReviewPolicy.AFTER_CLOSE:
        return closed
    if quiz.review_policy == ReviewPolicy.AFTER_LAST_ATTEMPT:
        # Unlimited attempts have no last one: only the close shows the keys.
        return closed or bool(
            quiz.attempts_allowed and attempts_finished() >= quiz.attempts_allowed
        )
    return False


def attempt_result_get(
    *, attempt: Attempt, now: datetime | None = None, language: str | None = None
) -> AttemptResult:
    """Score, which questions were wrong and, when the quiz's policy allows,
    answers and explanations."""
    now = now or timezone.now()
    language = content_language(language) if language else reader_language()
    if attempt.status != AttemptStatus.FINISHED:
        raise ValueError("an open attempt has no result")
    allowed = review_allowed(
        quiz=attempt.quiz,
        now=now,
        attempts_finished=lambda: Attempt.objects.filter(
            user_id=attempt.user_id,
            quiz_id=attempt.quiz_id,
            status=AttemptStatus.FINISHED,
        ).count(),
    )
    # The answers only show in the review: a submit at the common deadline
    # whose keys stay hidden does not read them back.
    view = attempt_view_get(
        attempt=attempt, now=now, language=language, with_answers=allowed
    )
    outcomes = [
        QuestionOutcome(
            question_id=question.id,
            number=question.number,
            text=question.text,
            points=attempt.per_question.get(str(question.id), 0.0),
        )
        for question in view.questions
    ]
    review = []
    if allowed:
        bank = bank_get(course_id=attempt.course_id)
        for question, outcome in zip(view.questions, outcomes, strict=True):
            saved = view.answers.get(question.id)
            review.append(
                ReviewItem(
                    question=question,
                    chosen=saved.choice_ids if saved else [],
                    correct=[c.id for c in bank[question.id].choices if c.correct],
                    points=outcome.points,
                    explanation=bank[question.id].shown_in(language).explanation,
                    source_title=bank[question.id].source_title,
                    source_url=bank[question.id].source_url,
                )
            )
    return AttemptResult(
        attempt=attempt, review_allowed=allowed, review=review, outcomes=outcomes
    )


def attempts_history(*, user, quiz: QuizPage) -> list[Attempt]:
    return list(Attempt.objects.filter(user=user, quiz=quiz).order_by("-started_at"))


def course_final_test_get(*, user, course):
    """The course's counting final test(s) for one learner (settings hook
    COURSES_FINAL_TEST): passed when every counting test has a passing
    attempt; the score is the best passing score (averaged over the tests
    when a course has several)."""
    from courses.selectors import FinalTest

    quiz_ids = list(
        QuizPage.objects.live()
        .child_of(course)
        .filter(counts_for_completion=True)
        .values_list("pk", flat=True)
    )
    if not quiz_ids:
        return FinalTest()
    best = dict(
        Attempt.objects.filter(
            user=user,
            quiz_id__in=quiz_ids,
            status=AttemptStatus.FINISHED,
            passed=True,
        )
        .values("quiz_id")
        .annotate(best=Max("score_percent"))
        .values_list("quiz_id", "best")
    )
    passed = set(best) >= set(quiz_ids)
    return FinalTest(
        exists=True,
        passed=passed,
        score_percent=sum(best.values()) / len(best) if passed else None,
    )
