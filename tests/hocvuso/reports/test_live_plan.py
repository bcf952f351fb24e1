"""Issue 23, part 4: the live dashboard's statement stays bounded at a
million learners. Each part of its UNION must reach its rows through an
index whose first column is its time column (or the attempt's status, or
the attempt an answer belongs to): a sequential scan, or an index read
whole (PostgreSQL also uses an index on (user, time) for a condition on
time alone, reading all of it), grows with every learner's history.
Sequential scans are forbidden while planning, so any left means that no
index can serve."""

import json

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import Unit
from hocvuso.reports.live import live_sql

from courses.models import CourseCompletion, Enrolment, MediaWatch
from quizzes.models import Answer, Attempt

from .conftest import generate_learners

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

# Table → the first columns of the indexes that keep it bounded.
BOUNDED = {
    Enrolment._meta.db_table: {"last_activity_at"},
    MediaWatch._meta.db_table: {"last_heartbeat_at"},
    CourseCompletion._meta.db_table: {"completed_at"},
    Attempt._meta.db_table: {"finished_at", "status", "id", "partial"},
    Answer._meta.db_table: {"attempt_id"},
    # The learners found are placed by primary key, one by one.
    User._meta.db_table: {"id"},
    Unit._meta.db_table: {"id"},
}


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _first_column(cursor, index: str, cond: str | None) -> str:
    """The index's first column; "partial" for an index of only some rows
    (the open attempts); "whole" when it is read without a condition."""
    cursor.execute(
        """SELECT a.attname, i.indpred IS NOT NULL
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE c.relname = %s""",
        [index],
    )
    column, partial = cursor.fetchone()
    if partial:
        return "partial"
    return column if cond else "whole"


def test_every_part_of_the_live_statement_reads_a_time_index(org_tree, dataset):
    generate_learners(org_tree, dataset, n=3000, seed=3)
    sql, params = live_sql(org_tree.provinces[0], timezone.now())
    with transaction.atomic(), connection.cursor() as cursor:
        for table in BOUNDED:
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
        plan = json.loads(raw) if isinstance(raw, str) else raw
        reads = []  # (table, index's first column or "seq")
        for node in _nodes(plan[0]["Plan"]):
            kind = node["Node Type"]
            if kind == "Seq Scan":
                reads.append((node["Relation Name"], "seq"))
            elif "Index Name" in node and kind != "Bitmap Index Scan":
                column = _first_column(
                    cursor, node["Index Name"], node.get("Index Cond")
                )
                reads.append((node["Relation Name"], column))
            elif kind == "Bitmap Heap Scan":
                for index in _nodes(node["Plans"][0]):
                    if "Index Name" in index:
                        column = _first_column(
                            cursor, index["Index Name"], index.get("Index Cond")
                        )
                        reads.append((node["Relation Name"], column))
    read_tables = {table for table, _column in reads}
    assert read_tables == set(BOUNDED), reads
    unbounded = [(t, c) for t, c in reads if t in BOUNDED and c not in BOUNDED[t]]
    assert unbounded == [], "\n".join(map(str, reads))
