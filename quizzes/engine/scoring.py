"""Grading on the server from plain data."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"


@dataclass(frozen=True)
class QuestionKey:
    id: int
    kind: Kind
    choices: frozenset[int]
    correct: frozenset[int]
    partial_credit: bool = False
    points: float = 1.0


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    per_question: dict[int, float]

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.max_points, 2) if self.max_points else 0.0

    def passed(self, pass_mark: float) -> bool:
        return self.max_points > 0 and self.percent >= pass_mark


def question_points(key: QuestionKey, chosen: frozenset[int]) -> float:
    """Points for one answer. A choice that is not one of the question's own
    counts as a wrong choice; an empty answer scores nothing."""
    if not chosen:
        return 0.0
    if key.kind is not Kind.MULTIPLE or not key.partial_credit:
        return key.points if chosen == key.correct else 0.0
    # Partial credit: each right choice earns its share, each wrong one takes
    # a share away, never below zero (so ticking everything earns nothing).
    right = len(chosen & key.correct)
    wrong = len(chosen - key.correct)
    share = (right - wrong) / len(key.correct)
    return round(key.points * max(0.0, share), 4)


def score(keys: Sequence[QuestionKey], answers: Mapping[int, frozenset[int]]) -> Score:
    per_question = {
        key.id: question_points(key, answers.get(key.id, frozenset())) for key in keys
    }
    return Score(
        points=round(sum(per_question.values()), 4),
        max_points=float(sum(key.points for key in keys)),
        per_question=per_question,
    )
