"""The one statement that stores an answer.

Invariant 1 (DESIGN §5): an autosave is acknowledged only after it is
committed, and a stale sequence number never overwrites a newer one. The
INSERT … SELECT reads the attempt in the same statement, so an answer can
only land while the attempt is open and inside deadline + grace. On
PostgreSQL the attempt row is read FOR SHARE: a submit or sweep holding it
FOR UPDATE makes the autosave wait, and when it goes on the attempt is
finished and nothing is written; an autosave that got there first is seen by
the grading that follows it.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection

_SQL = """
INSERT INTO quizzes_answer (attempt_id, question_id, choice_ids, seq, saved_at)
SELECT a.id, %s, {json}, %s, %s
  FROM quizzes_attempt a
 WHERE a.id = %s AND a.status = 'open' AND a.deadline >= %s
 {lock}
ON CONFLICT (attempt_id, question_id) DO UPDATE
   SET choice_ids = EXCLUDED.choice_ids, seq = EXCLUDED.seq, saved_at = EXCLUDED.saved_at
 WHERE quizzes_answer.seq < EXCLUDED.seq
RETURNING seq
"""


def _statement(*, lock: bool) -> str:
    if connection.vendor == "postgresql":
        return _SQL.format(json="%s::jsonb", lock="FOR SHARE OF a" if lock else "")
    # SQLite serialises writers, so there is nothing to lock.
    return _SQL.format(json="%s", lock="")


def answer_upsert(
    *,
    attempt_id: int,
    question_id: int,
    choice_ids: Sequence[int],
    seq: int,
    saved_at: datetime,
    earliest_deadline: datetime,
    lock: bool = True,
) -> bool:
    """Store the answer unless a newer one is there or the attempt is closed.

    `earliest_deadline` is now - grace: the attempt's deadline must not be
    before it. Returns True when this answer is now the stored one.
    """
    # Moments as the ORM writes them: on SQLite, UTC text (a +07:00 moment
    # compared as text with the stored deadline would be hours off).
    moment = connection.ops.adapt_datetimefield_value
    params = [
        question_id,
        json.dumps(sorted(choice_ids)),
        seq,
        moment(saved_at),
        attempt_id,
        moment(earliest_deadline),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_statement(lock=lock), params)
        return cursor.fetchone() is not None


# The autosave's usual case in one statement, on PostgreSQL: the attempt is
# read FOR SHARE only if it is the learner's, open, inside deadline + grace,
# and the question's choices hold every chosen id (jsonb containment, order
# and repeats ignored, as the service's set check); the answer is upserted
# from that row. The attempt's deadline comes back for the phone's clock.
_OWNED_SQL = """
WITH a AS (
    SELECT id, deadline FROM quizzes_attempt
     WHERE id = %(attempt)s AND user_id = %(user)s AND status = 'open'
       AND deadline >= %(earliest_deadline)s
       AND choice_order -> %(question_key)s @> %(choices)s::jsonb
       FOR SHARE
), stored AS (
    INSERT INTO quizzes_answer (attempt_id, question_id, choice_ids, seq, saved_at)
    SELECT a.id, %(question)s, %(choices)s::jsonb, %(seq)s, %(saved_at)s FROM a
    ON CONFLICT (attempt_id, question_id) DO UPDATE
       SET choice_ids = EXCLUDED.choice_ids, seq = EXCLUDED.seq,
           saved_at = EXCLUDED.saved_at
     WHERE quizzes_answer.seq < EXCLUDED.seq
    RETURNING seq
)
SELECT a.deadline, EXISTS (SELECT 1 FROM stored) FROM a
"""


def answer_upsert_owned(
    *,
    attempt_id: int,
    user_id: int,
    question_id: int,
    choice_ids: Iterable[int],
    seq: int,
    saved_at: datetime,
    earliest_deadline: datetime,
) -> tuple[datetime, bool] | None:
    """(the attempt's deadline, whether this answer is now the stored one),
    or None when the statement stored nothing because the attempt is not
    the user's, is closed, or does not offer these choices: the caller then
    reads the attempt to say which. PostgreSQL only."""
    with connection.cursor() as cursor:
        cursor.execute(
            _OWNED_SQL,
            {
                "attempt": attempt_id,
                "user": user_id,
                "earliest_deadline": earliest_deadline,
                "question_key": str(question_id),
                "question": question_id,
                "choices": json.dumps(sorted(choice_ids)),
                "seq": seq,
                "saved_at": saved_at,
            },
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])


# Submit and finish: the answers the phone sends with its submit are stored by
# the upsert above (a stale sequence number still never wins), and the same
# statement returns the attempt's final answer set for grading, so a submit
# reads no answer back. A data-modifying CTE's rows are not visible to the rest
# of its statement, hence the union: what this statement stored, and every
# answer already there that it did not replace. The caller holds the attempt
# FOR UPDATE, taken by an earlier statement: every autosave that got in first
# has committed, so this statement's snapshot sees it, and the ones that wait
# find the attempt finished.
_FINAL_SQL = """
WITH submitted AS (
    SELECT * FROM jsonb_to_recordset(%(answers)s::jsonb)
        AS s(question_id bigint, choice_ids jsonb, seq bigint)
), stored AS (
    INSERT INTO quizzes_answer (attempt_id, question_id, choice_ids, seq, saved_at)
    SELECT a.id, s.question_id, s.choice_ids, s.seq, %(saved_at)s
      FROM submitted s
      JOIN quizzes_attempt a ON a.id = %(attempt)s
     WHERE a.status = 'open' AND a.deadline >= %(earliest_deadline)s
    ON CONFLICT (attempt_id, question_id) DO UPDATE
       SET choice_ids = EXCLUDED.choice_ids, seq = EXCLUDED.seq,
           saved_at = EXCLUDED.saved_at
     WHERE quizzes_answer.seq < EXCLUDED.seq
    RETURNING question_id, choice_ids
)
SELECT question_id, choice_ids FROM stored
UNION ALL
SELECT question_id, choice_ids FROM quizzes_answer
 WHERE attempt_id = %(attempt)s
   AND question_id NOT IN (SELECT question_id FROM stored)
"""


def answers_final(
    *,
    attempt_id: int,
    submitted: Sequence[tuple[int, Sequence[int], int]],
    saved_at: datetime,
    earliest_deadline: datetime,
) -> dict[int, list[int]]:
    """Store the submitted (question id, choice ids, seq) answers, at most
    one per question, and return every answer of the attempt by question id.

    For an attempt the caller holds FOR UPDATE; as in answer_upsert, nothing
    is stored unless it is open and its deadline is not before
    `earliest_deadline` (now - grace).
    """
    if connection.vendor != "postgresql":
        # SQLite has no data-modifying CTE; it serialises writers, so
        # storing one by one and reading back sees the same answers.
        for question_id, choice_ids, seq in submitted:
            answer_upsert(
                attempt_id=attempt_id,
                question_id=question_id,
                choice_ids=choice_ids,
                seq=seq,
                saved_at=saved_at,
                earliest_deadline=earliest_deadline,
                lock=False,
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT question_id, choice_ids FROM quizzes_answer"
                " WHERE attempt_id = %s",
                [attempt_id],
            )
            rows = cursor.fetchall()
        return {qid: _choice_list(choices) for qid, choices in rows}
    answers = json.dumps(
        [
            {"question_id": qid, "choice_ids": sorted(choices), "seq": seq}
            for qid, choices, seq in submitted
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _FINAL_SQL,
            {
                "answers": answers,
                "attempt": attempt_id,
                "saved_at": saved_at,
                "earliest_deadline": earliest_deadline,
            },
        )
        rows = cursor.fetchall()
    return {qid: _choice_list(choices) for qid, choices in rows}


def _choice_list(value) -> list[int]:
    # Django has the driver hand JSON columns over as text (JSONField decodes
    # them itself); a raw cursor gets that text.
    return json.loads(value) if isinstance(value, str) else list(value)
