"""Loading a new edition of the demo courses over an old one (issue 20): the
seed updates lessons and questions in place, keeps learners' progress and
attempts, retires what the new edition dropped and says honestly what it did."""

import copy
import json
from pathlib import Path

import pytest
from hocvuso.core.demo import demo_site_seed

from courses.demo import demo_catalog_seed
from courses.models import CoursePage, LessonPage, LessonProgress
from courses.services import enrolment_create, lesson_complete
from quizzes.demo import demo_quiz_create
from quizzes.models import Attempt, AttemptStatus, Question, QuizPage
from quizzes.services import SubmittedAnswer, attempt_start, attempt_submit

pytestmark = pytest.mark.django_db

FIRST_EDITION = Path(__file__).resolve().parent / "first_edition"
NEW_PARAGRAPH = "<p>Đoạn mới của ấn bản thứ hai: gõ đúng địa chỉ dichvucong.gov.vn.</p>"


def first_edition() -> tuple[dict, dict]:
    course = json.loads((FIRST_EDITION / "course-topic-5.json").read_text("utf-8"))
    quiz = json.loads((FIRST_EDITION / "quiz-topic-5.json").read_text("utf-8"))
    return course, quiz


def second_edition(course: dict, quiz: dict) -> tuple[dict, dict]:
    """The first edition with one lesson rewritten, one lesson dropped, one
    added; questions keyed, one rewritten, one dropped, one new."""
    course, quiz = copy.deepcopy(course), copy.deepcopy(quiz)
    course["lessons"][0]["body"] += NEW_PARAGRAPH
    course["lessons"].pop()  # the last lesson leaves the course
    course["lessons"].append(
        {
            "slug": "bai-moi-an-ban-hai",
            "title": "Bài mới của ấn bản hai",
            "summary": "Một bài mới.",
            "estimated_minutes": 5,
            "body": "<p>Nội dung bài mới.</p>",
            "sources": [
                {"title": "Cổng Dịch vụ công", "url": "https://dichvucong.gov.vn"}
            ],
        }
    )
    dropped = quiz["questions"].pop()
    rewritten = quiz["questions"][0]["text"]
    for n, item in enumerate(quiz["questions"], start=1):
        item["key"] = f"dvc-{n:02d}"
    quiz["questions"][0]["text"] = "Câu hỏi đã được viết lại cho ấn bản hai?"
    quiz["questions"].append(
        {
            "key": "dvc-moi",
            "kind": "single",
            "text": "Câu hỏi mới của ấn bản hai?",
            "explanation": "Vì đó là đáp án đúng.",
            "source": {
                "title": "Cổng Dịch vụ công",
                "url": "https://dichvucong.gov.vn",
            },
            "choices": [
                {"text": "Đúng là nó", "correct": True},
                {"text": "Không phải", "correct": False},
            ],
        }
    )
    quiz["retired"] = [dropped["text"], rewritten]
    return course, quiz


def seed(course: dict, quiz: dict):
    home = demo_site_seed()
    counts = demo_catalog_seed(home=home, courses=[course])
    page = CoursePage.objects.get(slug=course["slug"])
    quiz_counts = demo_quiz_create(course=page, definition=quiz)
    return counts, quiz_counts


def take_the_test(learner, course_slug: str) -> Attempt:
    page = CoursePage.objects.get(slug=course_slug)
    attempt = attempt_start(user=learner, quiz=QuizPage.objects.child_of(page).get())
    question_id = attempt.question_ids[0]
    wrong = Question.objects.get(pk=question_id).choices.filter(correct=False).first()
    return attempt_submit(
        attempt=attempt,
        answers=[
            SubmittedAnswer(question_id=question_id, choice_ids=[wrong.pk], seq=1)
        ],
    )


def test_new_edition_keeps_progress_and_attempts_and_goes_live(learner, client):
    course, quiz = first_edition()
    seed(course, quiz)
    first_lesson = LessonPage.objects.get(slug=course["lessons"][0]["slug"])
    enrolment_create(user=learner, course=CoursePage.objects.get())
    lesson_complete(user=learner, lesson=first_lesson)
    attempt = take_the_test(learner, course["slug"])
    new_course, new_quiz = second_edition(course, quiz)

    counts, quiz_counts = seed(new_course, new_quiz)

    # The learner's progress is on the same lesson page, still completed.
    progress = LessonProgress.objects.get(user=learner)
    assert progress.lesson_id == first_lesson.pk and progress.completed_at
    # Their finished attempt and its score are kept.
    kept = Attempt.objects.get(pk=attempt.pk)
    assert kept.status == AttemptStatus.FINISHED
    assert kept.score_percent == attempt.score_percent
    # The rewritten lesson is live with the new text, as a new revision.
    live = LessonPage.objects.get(pk=first_lesson.pk)
    assert live.live and "Đoạn mới của ấn bản thứ hai" in str(live.body)
    assert live.revisions.count() == 2
    client.force_login(learner)
    assert "Đoạn mới của ấn bản thứ hai" in client.get(live.url).content.decode()
    # The dropped lesson is no longer live (its progress rows stay); the new
    # one is.
    assert not LessonPage.objects.get(slug=course["lessons"][-1]["slug"]).live
    assert LessonPage.objects.live().filter(slug="bai-moi-an-ban-hai").exists()
    # The bank is exactly the new edition.
    texts = set(Question.objects.values_list("text", flat=True))
    assert texts == {item["text"] for item in new_quiz["questions"]}
    new = Question.objects.get(key="dvc-moi")
    assert (new.source_title, new.source_url) == (
        "Cổng Dịch vụ công",
        "https://dichvucong.gov.vn",
    )
    # The old attempt's result page still opens.
    assert client.get(f"/kiem-tra/ket-qua/{attempt.pk}/").status_code == 200
    # The summary says what happened.
    assert (counts.created, counts.updated, counts.retired) == (1, 1, 1)
    assert (quiz_counts.created, quiz_counts.updated, quiz_counts.retired) == (2, 0, 2)


def test_a_reworded_question_is_updated_in_place(learner):
    course, quiz = second_edition(*first_edition())
    seed(course, quiz)
    before = Question.objects.get(key="dvc-02")
    choice_ids = list(before.choices.values_list("pk", flat=True))
    attempt = take_the_test(learner, course["slug"])
    quiz = copy.deepcopy(quiz)
    quiz["questions"][1]["text"] = "Câu hỏi thứ hai, nay rõ ràng hơn?"
    quiz["questions"][1]["explanation"] = "Giải thích mới."

    _counts, quiz_counts = seed(course, quiz)

    after = Question.objects.get(key="dvc-02")
    assert after.pk == before.pk
    assert (after.text, after.explanation) == (
        "Câu hỏi thứ hai, nay rõ ràng hơn?",
        "Giải thích mới.",
    )
    assert list(after.choices.values_list("pk", flat=True)) == choice_ids
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.FINISHED
    assert (quiz_counts.created, quiz_counts.updated, quiz_counts.retired) == (0, 1, 0)


def test_a_keyed_question_dropped_from_the_file_leaves_the_bank_not_the_attempt(
    learner, client
):
    """How an edition retires a keyed question (kns-27 in round 3): it is
    simply no longer in the file. A learner who answered it keeps the finished
    attempt, its score and its result page."""
    course, quiz = second_edition(*first_edition())
    seed(course, quiz)
    attempt = take_the_test(learner, course["slug"])
    answered = Question.objects.get(pk=attempt.question_ids[0])
    quiz = copy.deepcopy(quiz)
    quiz["questions"] = [q for q in quiz["questions"] if q["key"] != answered.key]

    _counts, quiz_counts = seed(course, quiz)

    assert not Question.objects.filter(key=answered.key).exists()
    assert Question.objects.count() == len(quiz["questions"])
    kept = Attempt.objects.get(pk=attempt.pk)
    assert kept.status == AttemptStatus.FINISHED
    assert kept.score_percent == attempt.score_percent
    client.force_login(learner)
    assert client.get(f"/kiem-tra/ket-qua/{attempt.pk}/").status_code == 200
    assert (quiz_counts.created, quiz_counts.updated, quiz_counts.retired) == (0, 0, 1)


def test_seeding_the_same_edition_again_changes_nothing(learner):
    course, quiz = second_edition(*first_edition())
    seed(course, quiz)
    counts, quiz_counts = seed(course, quiz)
    assert (counts.created, counts.updated, counts.retired) == (0, 0, 0)
    assert counts.unchanged >= 1 + len(course["lessons"])
    assert (quiz_counts.created, quiz_counts.updated, quiz_counts.retired) == (0, 0, 0)
    assert quiz_counts.unchanged == len(quiz["questions"]) + 1  # and the test page


def test_review_after_the_test_shows_each_questions_source(learner, client):
    course, quiz = second_edition(*first_edition())
    quiz["questions"] = [q for q in quiz["questions"] if q["key"] == "dvc-moi"]
    seed(course, quiz)
    # The review (keys, explanations, sources) is shown once the learner has
    # used every attempt: give them one.
    QuizPage.objects.update(attempts_allowed=1)
    attempt = take_the_test(learner, course["slug"])
    client.force_login(learner)
    page = client.get(f"/kiem-tra/ket-qua/{attempt.pk}/").content.decode()
    assert 'href="https://dichvucong.gov.vn"' in page
    assert "Nguồn" in page and "Cổng Dịch vụ công" in page


def test_one_instruction_wording_for_single_and_multiple_answers(learner, client):
    course, quiz = second_edition(*first_edition())
    seed(course, quiz)
    client.force_login(learner)
    page = CoursePage.objects.get(slug=course["slug"])
    attempt = attempt_start(user=learner, quiz=QuizPage.objects.child_of(page).get())
    html = client.get(f"/kiem-tra/lam-bai/{attempt.pk}/").content.decode()
    kinds = set(
        Question.objects.filter(pk__in=attempt.question_ids).values_list(
            "kind", flat=True
        )
    )
    singles = sum(
        1
        for q in Question.objects.filter(pk__in=attempt.question_ids)
        if q.kind != "multiple"
    )
    assert html.count("Chọn một đáp án đúng.") == singles
    assert html.count("Chọn tất cả đáp án đúng.") == len(attempt.question_ids) - singles
    assert "(chọn tất cả đáp án đúng)" not in html and kinds
