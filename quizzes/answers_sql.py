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
from collections.abc import Sequence
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
    params = [
        question_id,
        json.dumps(sorted(choice_ids)),
        seq,
        saved_at,
        attempt_id,
        earliest_deadline,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_statement(lock=lock), params)
        return cursor.fetchone() is not None
