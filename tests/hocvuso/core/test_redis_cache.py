"""The Redis cache while Redis is away (loadtest/faults, faults 4 and 5):
the exam goes on from PostgreSQL, a hung Redis costs one short timeout per
process instead of one per cache call, and counters still fail."""

import socket
import time

import pytest
from django.conf import settings
from django.test import override_settings
from hocvuso.core.redis_cache import SharedClientRedisCache
from redis.exceptions import ConnectionError as RedisConnectionError


@pytest.fixture
def hung_redis():
    """A port that accepts connections and never answers, as a SIGSTOPped
    Redis does (the kernel completes the handshake from the backlog)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


@pytest.fixture
def stopped_redis():
    """A port nothing listens on, as a stopped Redis."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/0"


def cache_at(url: str) -> SharedClientRedisCache:
    return SharedClientRedisCache(url, {"OPTIONS": settings.REDIS_CACHE_OPTIONS})


def test_a_stopped_redis_reads_as_a_miss_and_skips_writes(stopped_redis):
    cache = cache_at(stopped_redis)
    cache.set("k", "v")
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", "v") is False
    assert cache.get_or_set("k", "fresh") == "fresh"
    cache.delete("k")


def test_counters_still_fail_without_redis(stopped_redis):
    # The daily SMS caps count with incr: they must not open up.
    cache = cache_at(stopped_redis)
    with pytest.raises((RedisConnectionError, ValueError)):
        cache.incr("sms-count")


def test_a_hung_redis_costs_one_short_timeout_per_process(hung_redis):
    cache = cache_at(hung_redis)
    started = time.monotonic()
    assert cache.get("k") is None
    first = time.monotonic() - started
    # One connect and read timeout, once retried: about 2 s, not redis-py's 30.
    assert first < 5
    started = time.monotonic()
    for _ in range(20):
        assert cache.get("k") is None
        cache.set("k", "v")
    assert time.monotonic() - started < 0.5


@pytest.mark.django_db
def test_the_exam_goes_on_while_redis_is_stopped(
    stopped_redis, client, learner, make_quiz
):
    quiz = make_quiz()
    dead = {
        "default": {
            "BACKEND": "hocvuso.core.redis_cache.SharedClientRedisCache",
            "LOCATION": stopped_redis,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    with override_settings(CACHES=dead):
        client.force_login(learner)
        started = client.post(
            "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
        )
        assert started.status_code == 201, started.content
        attempt = started.json()
        question = attempt["questions"][0]
        choice = question["choices"][0]["id"]
        saved = client.put(
            f"/api/attempts/{attempt['id']}/answers/{question['id']}",
            {"choice_ids": [choice], "seq": 1},
            content_type="application/json",
        )
        assert saved.status_code == 200 and saved.json()["saved"] is True
        submitted = client.post(
            f"/api/attempts/{attempt['id']}/submit",
            {
                "answers": [
                    {"question_id": question["id"], "choice_ids": [choice], "seq": 1}
                ]
            },
            content_type="application/json",
        )
        assert submitted.status_code == 200 and submitted.json()["status"] == "finished"
