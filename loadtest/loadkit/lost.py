"""Which acknowledged writes PostgreSQL does not hold.

An autosave is acknowledged when the server answered 200 with saved=true; the
client keeps, per (attempt, question), the highest sequence number it had
acknowledged. It is kept when the stored answer has that sequence number and
those choices, or a newer sequence number (the learner changed the answer
again and the newer save won). A submit is acknowledged when the server
answered 200; it is kept when the attempt is finished. A check-in is
acknowledged when the QR's page answered 200 "you are present"; it is kept
when the class's attendance list holds that learner.
"""

from dataclasses import dataclass

AnswerKey = tuple[int, int]  # (attempt id, question id)
Saved = tuple[int, list[int]]  # (seq, choice ids)


@dataclass(frozen=True)
class LostWrites:
    answers_checked: int
    answers_lost: int
    submits_checked: int
    submits_lost: int
    checkins_checked: int = 0
    checkins_lost: int = 0

    @property
    def lost(self) -> int:
        return self.answers_lost + self.submits_lost + self.checkins_lost


def answer_kept(acked: Saved, stored: Saved | None) -> bool:
    if stored is None:
        return False
    seq, choices = acked
    stored_seq, stored_choices = stored
    if stored_seq > seq:
        return True
    return stored_seq == seq and sorted(stored_choices) == sorted(choices)


def lost_writes(
    *,
    acked_answers: dict[AnswerKey, Saved],
    stored_answers: dict[AnswerKey, Saved],
    acked_submits: set[int],
    finished_attempts: set[int],
    acked_checkins: set[int] = frozenset(),
    present_users: set[int] = frozenset(),
) -> LostWrites:
    answers_lost = sum(
        not answer_kept(saved, stored_answers.get(key))
        for key, saved in acked_answers.items()
    )
    return LostWrites(
        answers_checked=len(acked_answers),
        answers_lost=answers_lost,
        submits_checked=len(acked_submits),
        submits_lost=len(acked_submits - finished_attempts),
        checkins_checked=len(acked_checkins),
        checkins_lost=len(set(acked_checkins) - set(present_users)),
    )
