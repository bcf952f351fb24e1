"""What an exam-taker's phone reads off the pages of a test: the attempt its
"Bắt đầu" form leads to, and the questions and choices of the quiz page's
form (quizzes/templates/quizzes/attempt.html), which quiz.js answers."""

import re

_ATTEMPT_PATH = re.compile(r"/kiem-tra/lam-bai/(\d+)/$")
_QUESTION = re.compile(r'<fieldset class="question" data-q="(\d+)"')
_CHOICE = re.compile(r'name="q(\d+)" value="(\d+)"')


def attempt_id_in(location: str) -> int | None:
    """The attempt a start's redirect leads to; None for any other place
    (a refusal leads back to the test's page)."""
    found = _ATTEMPT_PATH.search(location)
    return int(found.group(1)) if found else None


def questions_in(html: str) -> list[dict]:
    """[{"id": question id, "choices": [{"id": choice id}, …]}, …] in the
    page's order, the shape of the API's attempt."""
    choices: dict[int, list[dict]] = {}
    for question_id, choice_id in _CHOICE.findall(html):
        choices.setdefault(int(question_id), []).append({"id": int(choice_id)})
    return [
        {"id": int(q), "choices": choices.get(int(q), [])}
        for q in _QUESTION.findall(html)
    ]
