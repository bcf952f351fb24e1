"""The xAPI outbox: statements written with the learning event, sent by
Celery, kept until the LRS has them (docs/xapi.md)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courses.learner_events import LearningRecord
from hocvuso.accounts.models import User
from hocvuso.core.text import control_marked

from .endpoint import endpoint_clean, endpoint_public_check
from .models import LearnerKey, LrsSettings, Statement
from .selectors import activity_get, routes_get
from .statements import VERSION, StatementInvalid, statement_check, statements_build

logger = logging.getLogger(__name__)

BACKOFF_FIRST_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
ERROR_MAX = 500
ERROR_BODY_BYTES = 200


def _learner_key(*, user_id: int, key) -> str:
    if key is None:
        key = LearnerKey.objects.get_or_create(user_id=user_id)[0].key
    return str(key)


def learning_record_write(*, record: LearningRecord) -> int:
    """settings.COURSES_LEARNING_RECORDED: the record's statements into the
    outbox, inside the event's transaction (no network here). Nothing when
    the learner's site sends no statements. Returns how many were written."""
    routes = routes_get()
    if routes is None:
        return 0
    found = (
        User.objects.filter(pk=record.user_id)
        .values_list("unit__path", "xapi_key__key")
        .first()
    )
    if found is None:
        return 0
    site_id = routes.site_for(found[0])
    if site_id is None:
        return 0
    activity = activity_get(site_id=site_id, page_id=record.page_id)
    if activity is None:
        return 0
    parent = (
        activity_get(site_id=site_id, page_id=record.course_id)
        if record.course_id and record.course_id != record.page_id
        else None
    )
    built = statements_build(
        kind=record.kind,
        home_page=routes.home_pages[site_id],
        learner_key=_learner_key(user_id=record.user_id, key=found[1]),
        activity=activity,
        parent=parent,
        at=record.at,
        score=record.score,
    )
    now = timezone.now()
    rows = []
    for statement in built:
        try:
            statement_check(statement)
        except StatementInvalid:
            # Our own bug, not the learner's: their event still counts.
            logger.exception("xAPI statement not written: %s", statement["verb"])
            continue
        rows.append(
            Statement(
                statement_id=statement["id"],
                site_id=site_id,
                user_id=record.user_id,
                body=statement,
                created_at=now,
                next_attempt_at=now,
            )
        )
    Statement.objects.bulk_create(rows)
    return len(rows)


def learner_statements_erase(*, user_id: int) -> int:
    """A learner's erasure: their unsent statements are never sent, the
    local copies of sent ones go, and their key is forgotten, so what the
    LRS already holds names a key that leads nowhere."""
    deleted, _ = Statement.objects.filter(user_id=user_id).delete()
    LearnerKey.objects.filter(user_id=user_id).delete()
    return deleted


# --- Sending ------------------------------------------------------------------


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0
    pruned: int = 0


class _SendFailed(Exception):
    pass


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … at most an hour between two tries."""
    seconds = BACKOFF_FIRST_SECONDS * 2 ** min(max(attempts - 1, 0), 16)
    return timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


def _error_text(text: str) -> str:
    # From the network: kept in a text column and printed by xapi_outbox.
    return control_marked(text)[:ERROR_MAX]


def _post(config: LrsSettings, bodies: list[dict]) -> int:
    try:
        # Streamed: of an error page only its start is read, however large.
        with requests.post(
            f"{config.endpoint}/statements",
            json=bodies,
            auth=(config.key, config.secret) if config.key else None,
            headers={"X-Experience-API-Version": VERSION},
            timeout=settings.XAPI_TIMEOUT_SECONDS,
            allow_redirects=False,
            stream=True,
        ) as response:
            if response.status_code in (200, 204, 409):
                return response.status_code
            start = response.raw.read(ERROR_BODY_BYTES, decode_content=True)
    except requests.RequestException as exc:
        raise _SendFailed(_error_text(f"{type(exc).__name__}: {exc}")) from exc
    text = start.decode("utf-8", "replace")
    raise _SendFailed(_error_text(f"HTTP {response.status_code}: {text}"))


def _send(config: LrsSettings, rows: list[Statement]) -> None:
    """200/204: stored. 409 for a single statement: the LRS has it already
    (an earlier send whose answer was lost). A batch answered 409 is
    rejected whole by the LRS, so it is sent again one statement at a time."""
    status = _post(config, [row.body for row in rows])
    if status == 409 and len(rows) > 1:
        for row in rows:
            _post(config, [row.body])


def _site_drain_batch(*, site_id: int, now: datetime, size: int) -> tuple[int, int]:
    """One batch of the site's oldest unsent statements: (sent, failed).
    The site's settings row is held for the batch, so one worker at a time
    sends for a site and the learner's statements leave in order; a batch
    whose first statement waits for its retry holds back the rest."""
    with transaction.atomic():
        config = (
            LrsSettings.objects.select_for_update(skip_locked=True)
            .filter(site_id=site_id)
            .first()
        )
        if config is None or not config.active:
            return 0, 0
        rows = list(
            Statement.objects.select_for_update(skip_locked=True)
            .filter(site_id=site_id, sent_at=None)
            .order_by("id")[:size]
        )
        if not rows or rows[0].next_attempt_at > now:
            return 0, 0
        ids = [row.pk for row in rows]
        try:
            endpoint_clean(config.endpoint, field="endpoint")
            endpoint_public_check(config.endpoint)
            _send(config, rows)
        except (_SendFailed, ValidationError) as exc:
            error = str(exc.messages[0] if isinstance(exc, ValidationError) else exc)
            attempts = rows[0].attempts + 1
            Statement.objects.filter(pk__in=ids).update(
                attempts=attempts,
                next_attempt_at=now + backoff(attempts),
                last_error=_error_text(error),
            )
            logger.warning("xAPI: site %s: %s", site_id, error)
            return 0, len(rows)
        Statement.objects.filter(pk__in=ids).update(
            sent_at=timezone.now(), last_error=""
        )
        return len(rows), 0


def outbox_drain(*, now: datetime | None = None) -> DrainResult:
    """Every site's due statements, batch by batch, for at most
    XAPI_DRAIN_BATCHES batches a site; then the sent ones past their
    retention are deleted."""
    now = now or timezone.now()
    result = DrainResult()
    site_ids = (
        Statement.objects.filter(sent_at=None)
        .values_list("site_id", flat=True)
        .distinct()
        .order_by("site_id")
    )
    for site_id in list(site_ids):
        for _ in range(settings.XAPI_DRAIN_BATCHES):
            sent, failed = _site_drain_batch(
                site_id=site_id, now=now, size=settings.XAPI_BATCH_SIZE
            )
            result.sent += sent
            result.failed += failed
            if not sent:
                break
    result.pruned = outbox_prune(now=now)
    return result


def outbox_prune(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.XAPI_SENT_RETENTION_DAYS)
    deleted, _ = Statement.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
