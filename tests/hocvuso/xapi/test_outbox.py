"""The outbox drained: an LRS that is down, failing or slow loses nothing,
gets each statement once when it is back, in the order of each learner's
learning, and sent statements are kept only so long."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from hocvuso.xapi.models import Statement
from hocvuso.xapi.services import backoff, outbox_drain
from hocvuso.xapi.tasks import outbox_drain_task

from tests.completion_helpers import final_test_take, lessons_complete

pytestmark = pytest.mark.django_db


def _learn(world, make_learner, n: int = 2):
    learners = [make_learner(unit=world.tree.communes[0]) for _ in range(n)]
    for learner in learners:
        lessons_complete(learner, world.course)
    for learner in learners:
        final_test_take(learner, world.quiz)
    return learners


def _verbs(statements) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]


def test_statements_reach_the_lrs_once_with_version_and_credentials(
    xapi_world, make_learner, lrs
):
    _learn(xapi_world, make_learner, n=1)
    assert outbox_drain_task.delay().get() == 6
    assert len(lrs.posts) == 1
    post = lrs.posts[0]
    assert post.version == "1.0.3"
    assert post.auth.startswith("Basic ")
    assert _verbs(post.statements) == [
        "registered",
        "completed",
        "completed",
        "attempted",
        "passed",
        "completed",
    ]
    assert not Statement.objects.filter(sent_at=None).exists()
    assert outbox_drain().sent == 0  # nothing is sent twice
    assert len(lrs.posts) == 1


def test_an_outage_keeps_everything_and_the_return_sends_it_once_in_order(
    xapi_world, make_learner, lrs, settings
):
    settings.XAPI_BATCH_SIZE = 5  # several batches
    lrs.stop()
    learners = _learn(xapi_world, make_learner, n=3)
    written = Statement.objects.count()
    assert written == 18
    now = timezone.now()

    result = outbox_drain(now=now)
    assert (result.sent, result.failed) == (0, 5)
    first = Statement.objects.order_by("id").first()
    assert first.attempts == 1 and "ConnectionError" in first.last_error
    assert first.next_attempt_at == now + timedelta(seconds=30)

    # Not due yet: nothing is tried, the later statements wait behind.
    assert outbox_drain(now=now + timedelta(seconds=10)).failed == 0
    assert Statement.objects.order_by("id").first().attempts == 1

    lrs.start()
    lrs.mode = "error"
    later = now + timedelta(seconds=31)
    assert outbox_drain(now=later).failed == 5
    first.refresh_from_db()
    assert first.attempts == 2
    assert first.last_error == "HTTP 500: LRS down for maintenance"
    assert first.next_attempt_at == later + timedelta(minutes=1)
    assert Statement.objects.filter(sent_at=None).count() == written

    lrs.mode = "ok"
    result = outbox_drain(now=later + timedelta(hours=2))
    assert result.sent == written
    assert len(lrs.stored) == written
    received = [s for post in lrs.posts for s in post.statements]
    ids = [s["id"] for s in received if s["id"] in lrs.stored]
    assert len(ids) == len(set(ids)) == written
    assert set(ids) == {
        str(i) for i in Statement.objects.values_list("statement_id", flat=True)
    }
    for learner in learners:
        key = str(learner.xapi_key.key)
        theirs = [
            s for s in lrs.stored.values() if s["actor"]["account"]["name"] == key
        ]
        assert _verbs(theirs) == [
            "registered",
            "completed",
            "completed",
            "attempted",
            "passed",
            "completed",
        ]
    assert not Statement.objects.filter(sent_at=None).exists()
    assert Statement.objects.exclude(last_error="").count() == 0


def test_a_slow_lrs_times_out_and_is_tried_again(
    xapi_world, make_learner, lrs, settings
):
    settings.XAPI_TIMEOUT_SECONDS = (1, 0.3)
    lrs.mode, lrs.delay = "slow", 1.5
    _learn(xapi_world, make_learner, n=1)
    assert outbox_drain().failed == 6
    assert "Timeout" in Statement.objects.first().last_error
    lrs.mode = "ok"
    assert outbox_drain(now=timezone.now() + timedelta(minutes=1)).sent == 6


def test_statements_the_lrs_already_has_are_sent_once(xapi_world, make_learner, lrs):
    """An answer lost on the way back: the LRS stored the batch, the outbox
    did not hear it. It is refused whole (409); one by one, the stored ones
    count as sent and a new one is stored."""
    _learn(xapi_world, make_learner, n=1)
    outbox_drain()
    Statement.objects.update(sent_at=None)
    learner = make_learner(unit=xapi_world.tree.communes[0])
    lessons_complete(learner, xapi_world.course)
    assert outbox_drain().sent == 9
    assert len(lrs.stored) == 9
    assert not Statement.objects.filter(sent_at=None).exists()


def test_a_hostile_answer_is_kept_short_and_harmless(xapi_world, make_learner, lrs):
    lrs.mode = "hostile"
    _learn(xapi_world, make_learner, n=1)
    assert outbox_drain().failed == 6
    error = Statement.objects.first().last_error
    assert error.startswith("HTTP 502: ") and len(error) <= 500
    assert "\x00" not in error and "\x1b" not in error


def test_wrong_credentials_keep_the_statements_with_the_error(
    xapi_world, make_learner, lrs
):
    xapi_world.config.secret = "sai-mat-khau"
    xapi_world.config.save()
    _learn(xapi_world, make_learner, n=1)
    assert outbox_drain().failed == 6
    assert Statement.objects.first().last_error.startswith("HTTP 401")
    assert lrs.stored == {}


def test_a_site_switched_off_keeps_its_statements_unsent(xapi_world, make_learner, lrs):
    _learn(xapi_world, make_learner, n=1)
    xapi_world.config.enabled = False
    xapi_world.config.save()
    assert outbox_drain().sent == 0
    assert Statement.objects.filter(sent_at=None).count() == 6
    assert lrs.posts == []


def test_the_wait_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 8, 50)] == [
        30,
        60,
        120,
        3600,
        3600,
    ]


def test_sent_statements_go_after_their_retention_unsent_ones_never(
    xapi_world, make_learner, lrs, settings
):
    settings.XAPI_SENT_RETENTION_DAYS = 7
    _learn(xapi_world, make_learner, n=1)
    outbox_drain()
    lrs.stop()
    learner = make_learner(unit=xapi_world.tree.communes[0])
    lessons_complete(learner, xapi_world.course)
    Statement.objects.update(created_at=timezone.now() - timedelta(days=30))
    result = outbox_drain(now=timezone.now() + timedelta(days=8))
    assert result.pruned == 6
    assert Statement.objects.filter(sent_at=None).count() == 3


def test_the_status_command_counts_per_site(xapi_world, make_learner, lrs, capsys):
    lrs.stop()
    _learn(xapi_world, make_learner, n=1)
    outbox_drain()
    call_command("xapi_outbox")
    out = capsys.readouterr().out
    assert "localhost:80  chờ gửi=6  lỗi=6  đã gửi=0" in out
    assert "lỗi gần nhất: ConnectionError" in out


@pytest.mark.parametrize(
    "endpoint",
    [
        # Names that pass the form's rule but reach this computer or its
        # network: checked again, resolved, before anything is sent.
        "https://2130706433/xapi",  # 127.0.0.1 written as one number
        "https://localhost/xapi",
    ],
)
def test_an_address_that_resolves_inside_the_network_gets_nothing(
    xapi_world, make_learner, lrs, settings, endpoint
):
    settings.XAPI_ALLOW_LOCAL_HTTP = False
    LrsSettings_ = type(xapi_world.config)
    LrsSettings_.objects.filter(pk=xapi_world.config.pk).update(endpoint=endpoint)
    _learn(xapi_world, make_learner, n=1)

    result = outbox_drain()

    assert (result.sent, lrs.posts) == (0, [])
    waiting = Statement.objects.filter(sent_at=None)
    assert waiting.count() == 6
    assert "mạng nội bộ" in waiting.first().last_error
