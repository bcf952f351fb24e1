"""loadtest/lrs_outage.py, the acceptance check of issue 25's outage run:
it must see a lost statement, not only report none."""

import importlib.util
import socket
from pathlib import Path

import pytest
from hocvuso.xapi.models import LrsSettings, Statement
from hocvuso.xapi.services import outbox_drain

from tests.completion_helpers import final_test_take, lessons_complete

pytestmark = pytest.mark.django_db

_spec = importlib.util.spec_from_file_location(
    "lrs_outage", Path(__file__).resolve().parents[3] / "loadtest/lrs_outage.py"
)
lrs_outage = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lrs_outage)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _learn(world, make_learner, n: int) -> None:
    for _ in range(n):
        learner = make_learner(unit=world.tree.communes[0])
        lessons_complete(learner, world.course)
        final_test_take(learner, world.quiz)


def test_statements_written_while_the_lrs_is_down_all_arrive_once_it_is_back(
    xapi_world, make_learner, lrs
):
    lrs.stop()
    port = _closed_port()
    before = lrs_outage.arm(port)
    assert LrsSettings.objects.filter(enabled=True).count() == 2  # every site
    _learn(xapi_world, make_learner, n=2)
    assert outbox_drain().failed > 0  # refused: the LRS is down

    summary = lrs_outage.recover(port, before)

    assert summary["ok"] is True
    assert summary["written_during_run"] == Statement.objects.count() == 12
    assert summary["waiting_when_lrs_returned"] == 12
    assert summary["failed_tries_during_outage"] == 1
    assert summary["received_by_lrs"] == 12
    assert summary["lost"] == summary["still_waiting"] == 0
    assert summary["tests_finished"] == summary["attempted_statements"] == 2


def test_a_statement_that_never_arrives_is_reported_lost(xapi_world, make_learner, lrs):
    lrs.stop()
    port = _closed_port()
    before = lrs_outage.arm(port)
    _learn(xapi_world, make_learner, n=1)
    # A test finished with no statement (a learning event that wrote none).
    attempted = Statement.objects.filter(body__verb__id=lrs_outage.ATTEMPTED)
    attempted.delete()

    summary = lrs_outage.recover(port, before)

    assert summary["attempted_statements"] == 0
    assert summary["tests_finished"] == 1
    assert summary["ok"] is False


def test_off_switches_every_site_back_off(xapi_world):
    lrs_outage.arm(_closed_port())
    lrs_outage.off()
    assert not LrsSettings.objects.filter(enabled=True).exists()
