"""xAPI 1.0.3 statements, built and checked without Django or queries.

Verbs are ADL's (http://adlnet.gov/expapi/verbs/); ADL has none for earning
a certificate, so that one is the xAPI registry's `earned`. The actor is an
account: the site's address and the learner's random key, nothing else."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from courses.learner_events import AttemptScore, RecordKind

ADL = "http://adlnet.gov/expapi"
VERSION = "1.0.3"
PLATFORM = "Bình dân học vụ số"


@dataclass(frozen=True)
class Verb:
    id: str
    en: str
    vi: str

    def as_json(self) -> dict:
        return {"id": self.id, "display": {"en-US": self.en, "vi-VN": self.vi}}


REGISTERED = Verb(f"{ADL}/verbs/registered", "registered", "đã ghi danh")
COMPLETED = Verb(f"{ADL}/verbs/completed", "completed", "đã hoàn thành")
ATTEMPTED = Verb(f"{ADL}/verbs/attempted", "attempted", "đã làm bài")
PASSED = Verb(f"{ADL}/verbs/passed", "passed", "đã đạt")
EARNED = Verb("http://id.tincanapi.com/verb/earned", "earned", "đã nhận")

VERB_OF = {
    RecordKind.ENROLLED: REGISTERED,
    RecordKind.LESSON_COMPLETED: COMPLETED,
    RecordKind.TEST_ATTEMPTED: ATTEMPTED,
    RecordKind.COURSE_COMPLETED: COMPLETED,
    RecordKind.PROGRAMME_COMPLETED: COMPLETED,
    RecordKind.CERTIFICATE_EARNED: EARNED,
}

COURSE = f"{ADL}/activities/course"
LESSON = f"{ADL}/activities/lesson"
ASSESSMENT = f"{ADL}/activities/assessment"
# A programme groups courses; ADL's nearest type is the course's own.
PROGRAMME = COURSE


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    type: str

    def as_json(self) -> dict:
        return {
            "objectType": "Activity",
            "id": self.id,
            "definition": {"name": {"vi-VN": self.name}, "type": self.type},
        }


def _result(kind: RecordKind, score: AttemptScore | None) -> dict | None:
    if score is not None:
        top = score.max_points or 0
        raw = min(max(score.points or 0, 0), top)
        return {
            "score": {
                "scaled": round(raw / top, 4) if top else 0,
                "raw": raw,
                "min": 0,
                "max": top,
            },
            "success": bool(score.passed),
            "completion": True,
        }
    if kind in (
        RecordKind.LESSON_COMPLETED,
        RecordKind.COURSE_COMPLETED,
        RecordKind.PROGRAMME_COMPLETED,
    ):
        return {"completion": True}
    return None


def statements_build(
    *,
    kind: RecordKind,
    home_page: str,
    learner_key: str,
    activity: Activity,
    parent: Activity | None,
    at: datetime,
    score: AttemptScore | None = None,
) -> list[dict]:
    """The statements of one learning record: one, or two for a passed test
    (attempted with its score, then passed)."""
    verbs = [VERB_OF[kind]]
    if kind == RecordKind.TEST_ATTEMPTED and score is not None and score.passed:
        verbs.append(PASSED)
    context: dict = {"platform": PLATFORM, "language": "vi-VN"}
    if parent is not None:
        context["contextActivities"] = {"parent": [parent.as_json()]}
    result = _result(kind, score)
    built = []
    for verb in verbs:
        statement = {
            "id": str(uuid.uuid4()),
            "actor": {
                "objectType": "Agent",
                "account": {"homePage": home_page, "name": learner_key},
            },
            "verb": verb.as_json(),
            "object": activity.as_json(),
            "context": context,
            "timestamp": at.isoformat(),
        }
        if result is not None:
            statement["result"] = result
        built.append(statement)
    return built


# --- The check of what goes out -------------------------------------------------


class StatementInvalid(ValueError):
    pass


_LANGUAGE = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")
_TOP_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp"}


def _iri(value, where: str) -> None:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or not parts.scheme or not (parts.netloc or parts.path):
        raise StatementInvalid(f"{where}: not an IRI")


def _language_map(value, where: str) -> None:
    if not isinstance(value, dict) or not value:
        raise StatementInvalid(f"{where}: not a language map")
    for tag, text in value.items():
        if not _LANGUAGE.fullmatch(tag) or not isinstance(text, str) or not text:
            raise StatementInvalid(f"{where}: bad entry {tag!r}")


def _activity_check(value, where: str) -> None:
    if not isinstance(value, dict) or value.get("objectType") != "Activity":
        raise StatementInvalid(f"{where}: not an Activity")
    _iri(value.get("id"), f"{where}.id")
    definition = value.get("definition", {})
    _language_map(definition.get("name"), f"{where}.definition.name")
    _iri(definition.get("type"), f"{where}.definition.type")


def _score_check(score) -> None:
    if not isinstance(score, dict):
        raise StatementInvalid("result.score: not an object")
    scaled, raw = score.get("scaled"), score.get("raw")
    low, high = score.get("min"), score.get("max")
    numbers = (scaled, raw, low, high)
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        raise StatementInvalid("result.score: numbers expected")
    if not (-1 <= scaled <= 1 and low <= raw <= high):
        raise StatementInvalid("result.score: out of range")


def statement_check(statement: dict) -> None:
    """What the xAPI 1.0.3 specification requires of the parts we send, and
    our own rule: the actor is an account and nothing else (no mbox, no
    name, no phone)."""
    if not isinstance(statement, dict) or set(statement) - _TOP_KEYS:
        raise StatementInvalid("unexpected properties")
    try:
        uuid.UUID(statement.get("id", ""))
    except (ValueError, TypeError, AttributeError) as exc:
        raise StatementInvalid("id: not a UUID") from exc
    actor = statement.get("actor")
    if not isinstance(actor, dict) or set(actor) != {"objectType", "account"}:
        raise StatementInvalid("actor: only an account is sent")
    account = actor["account"]
    if not isinstance(account, dict) or set(account) != {"homePage", "name"}:
        raise StatementInvalid("actor.account: homePage and name expected")
    _iri(account["homePage"], "actor.account.homePage")
    try:
        uuid.UUID(account["name"])
    except (ValueError, TypeError, AttributeError) as exc:
        raise StatementInvalid("actor.account.name: not a learner key") from exc
    verb = statement.get("verb")
    if not isinstance(verb, dict):
        raise StatementInvalid("verb: missing")
    _iri(verb.get("id"), "verb.id")
    _language_map(verb.get("display"), "verb.display")
    _activity_check(statement.get("object"), "object")
    result = statement.get("result")
    if result is not None:
        if "score" in result:
            _score_check(result["score"])
        for flag in ("success", "completion"):
            if flag in result and not isinstance(result[flag], bool):
                raise StatementInvalid(f"result.{flag}: not a boolean")
    for parent in (
        statement.get("context", {}).get("contextActivities", {}).get("parent", [])
    ):
        _activity_check(parent, "context.contextActivities.parent")
    try:
        at = datetime.fromisoformat(statement.get("timestamp", ""))
    except (ValueError, TypeError) as exc:
        raise StatementInvalid("timestamp: not ISO 8601") from exc
    if at.tzinfo is None:
        raise StatementInvalid("timestamp: no time zone")
