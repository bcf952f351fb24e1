"""A cached copy of each course's question bank.

Thousands of learners start the same test within minutes; drawing their
questions must not read the bank from the database each time. The cache key
carries a version bumped whenever a question or choice changes.
"""

import random
import uuid
from dataclasses import dataclass

from django.core.cache import cache

from courses.translation import source_hash

from .engine.scoring import Kind, QuestionKey

BANK_TTL = 60 * 60
# Each process keeps the banks it has read, keyed by version: a start then
# costs one small read of the version from the cache instead of fetching and
# unpickling the whole bank (the exam-start burst spent a fifth of its time
# there). A changed question gets the bank a new version, so no process serves it stale.
_LOCAL_BANKS: dict[str, dict] = {}
_LOCAL_BANKS_MAX = 64


@dataclass(frozen=True)
class BankChoice:
    id: int
    text: str
    correct: bool


@dataclass(frozen=True)
class BankTranslation:
    language: str
    text: str
    choices: tuple[str, ...]  # in the question's choice order
    explanation: str
    reviewed: bool


@dataclass(frozen=True)
class QuestionShown:
    """A question's words as one learner reads them."""

    text: str
    choices: dict[int, str]  # choice id → text
    explanation: str
    translated: bool
    reviewed: bool


def question_source_hash(*, text: str, choices: list[str], explanation: str) -> str:
    return source_hash("\x1f".join([text, *choices, "\x1e", explanation]))


@dataclass(frozen=True)
class BankQuestion:
    id: int
    kind: str
    text: str
    explanation: str
    partial_credit: bool
    tags: tuple[str, ...]
    choices: tuple[BankChoice, ...]
    source_title: str = ""
    source_url: str = ""
    # Only translations that still match the Vietnamese.
    translations: tuple[BankTranslation, ...] = ()

    def shown_in(self, language: str) -> QuestionShown:
        for kept in self.translations:
            if kept.language == language:
                return QuestionShown(
                    text=kept.text,
                    choices={
                        c.id: text
                        for c, text in zip(self.choices, kept.choices, strict=True)
                    },
                    explanation=kept.explanation or self.explanation,
                    translated=True,
                    reviewed=kept.reviewed,
                )
        return QuestionShown(
            text=self.text,
            choices={c.id: c.text for c in self.choices},
            explanation=self.explanation,
            translated=False,
            reviewed=False,
        )

    def key(self) -> QuestionKey:
        return QuestionKey(
            id=self.id,
            kind=Kind(self.kind),
            choices=frozenset(c.id for c in self.choices),
            correct=frozenset(c.id for c in self.choices if c.correct),
            partial_credit=self.partial_credit,
        )


def _version_key(course_id: int) -> str:
    return f"quiz-bank-version:{course_id}"


def bank_invalidate(*, course_id: int) -> None:
    cache.set(_version_key(course_id), uuid.uuid4().hex, None)


def bank_get(*, course_id: int) -> dict[int, BankQuestion]:
    # A random version rather than a counter: after the cache is flushed a
    # counter would start again at 1 and meet an old bank kept in a process.
    version = cache.get_or_set(_version_key(course_id), uuid.uuid4().hex, None)
    key = f"quiz-bank:{course_id}:{version}"
    bank = _LOCAL_BANKS.get(key)
    if bank is not None:
        return bank
    bank = cache.get(key)
    if bank is None:
        bank = _bank_load(course_id)
        cache.set(key, bank, BANK_TTL)
    if len(_LOCAL_BANKS) >= _LOCAL_BANKS_MAX:
        _LOCAL_BANKS.clear()
    _LOCAL_BANKS[key] = bank
    return bank


def _bank_load(course_id: int) -> dict[int, BankQuestion]:
    from .models import Choice, Question, QuestionTranslation

    questions = list(Question.objects.filter(course_id=course_id).order_by("pk"))
    choices: dict[int, list[BankChoice]] = {}
    for choice in Choice.objects.filter(question__course_id=course_id).order_by(
        "sort_order", "pk"
    ):
        choices.setdefault(choice.question_id, []).append(
            BankChoice(id=choice.pk, text=choice.text, correct=choice.correct)
        )
    hashes = {
        q.pk: question_source_hash(
            text=q.text,
            choices=[c.text for c in choices.get(q.pk, ())],
            explanation=q.explanation,
        )
        for q in questions
    }
    translations: dict[int, list[BankTranslation]] = {}
    for row in QuestionTranslation.objects.filter(question__course_id=course_id):
        current = row.source_hash == hashes.get(row.question_id)
        if current and len(row.choices) == len(choices.get(row.question_id, ())):
            translations.setdefault(row.question_id, []).append(
                BankTranslation(
                    language=row.language,
                    text=row.text,
                    choices=tuple(row.choices),
                    explanation=row.explanation,
                    reviewed=row.reviewed,
                )
            )
    return {
        q.pk: BankQuestion(
            id=q.pk,
            kind=q.kind,
            text=q.text,
            explanation=q.explanation,
            partial_credit=q.partial_credit,
            tags=tuple(q.tag_list),
            choices=tuple(choices.get(q.pk, ())),
            source_title=q.source_title,
            source_url=q.source_url,
            translations=tuple(translations.get(q.pk, ())),
        )
        for q in questions
    }


def _draw_rules(
    bank: dict[int, BankQuestion], tags: list[str]
) -> tuple[dict[str, int], list[BankQuestion]]:
    """The quotas of the draw rules and the questions a draw may pick from."""
    quotas = {}
    limits = []
    for rule in tags:
        tag, _, number = rule.partition(":")
        if number.strip().isdigit():
            quotas[tag.strip()] = int(number)
        else:
            limits.append(tag.strip())
    pool = [q for q in bank.values() if not limits or set(q.tags) & set(limits)]
    return quotas, pool


def draw_pool_size(bank: dict[int, BankQuestion], *, tags: list[str]) -> int:
    return len(_draw_rules(bank, tags)[1])


def questions_draw(
    bank: dict[int, BankQuestion],
    *,
    count: int,
    tags: list[str],
    shuffle_choices: bool,
    rng: random.Random,
) -> tuple[list[int], dict[str, list[int]]]:
    """Pick `count` questions and the order of each one's choices.

    `tags` are the quiz's draw rules: "an-toan:3" draws 3 questions tagged
    an-toan; a bare "an-toan" limits the whole draw to that tag. Quotas are
    filled first, the rest of `count` at random from what is left.
    """
    quotas, pool = _draw_rules(bank, tags)
    picked: list[BankQuestion] = []
    for tag, quota in quotas.items():
        candidates = [q for q in pool if tag in q.tags and q not in picked]
        picked += rng.sample(candidates, min(quota, len(candidates)))
    rest = [q for q in pool if q not in picked]
    picked += rng.sample(rest, max(0, min(count - len(picked), len(rest))))
    order = {}
    for question in picked:
        ids = [c.id for c in question.choices]
        if shuffle_choices and question.kind != Kind.TRUE_FALSE:
            rng.shuffle(ids)
        order[str(question.id)] = ids
    return [q.id for q in picked], order
