import pytest

from courses.models import CoursePage
from tests.completion_helpers import final_test_take, lessons_complete


@pytest.fixture
def complete_course(make_quiz, django_capture_on_commit_callbacks):
    """complete_course(user) → the learner finishes the lessons and passes the
    final test; on-commit callbacks (signal, then the eager task) run."""
    quiz = make_quiz(questions=4, draw=4)

    def complete(user):
        course = CoursePage.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            lessons_complete(user, course)
            final_test_take(user, quiz)
        return course

    return complete
