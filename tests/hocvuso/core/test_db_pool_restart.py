"""After PostgreSQL restarts (fault 6 of loadtest/faults), the pooled
connections it dropped are not handed to requests: the first exam submits
after a restart answered 500 ("server closed the connection") until every
stale connection of every worker had been used once."""

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _terminate_all_but(own_pid: int) -> int:
    """What a restart does to every connection the pool holds."""
    params = connection.get_connection_params()
    with psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    ) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
            [own_pid],
        ).fetchall()
    return len(rows)


def test_a_request_after_a_restart_gets_a_live_connection():
    assert "pool" in connection.settings_dict["OPTIONS"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.close()  # back to the pool, as at the end of a request
    assert _terminate_all_but(0) >= 1

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
