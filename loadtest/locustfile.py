"""The load-test populations (issue 8): fixed behaviour, so that "N
concurrent users" means the same in every run.

- Browser: a logged-in learner on their course: course page, then each
  lesson and its "Hoàn thành bài học" button in turn; 15–45 s between actions.
- VideoViewer: the lesson page, the HLS master and 240p playlists, then one
  6-second segment every 6 s and a heartbeat every 30 s. The issue's "360p"
  is our lowest rendition, 240p (courses/transcode.py).
- ExamTaker: starts the test at a moment spread over the start window with
  the quiz page's "Bắt đầu" form, opens the attempt's page (its questions
  read off the form, as quiz.js does) and its websocket (for extra time),
  answers one question every 15–45 s (an autosave each; once every question
  is answered, changes one), submits at the common deadline and opens the
  result page; a share leaves the page open and is finished by the
  server's overdue sweep.
- LoginStorm: logs in with username and password once, at a moment spread
  over the storm window, and opens "Khóa học của tôi".
- CheckinAttendee: an invited learner scans the training class's QR once,
  at a moment spread over the arrival window (issue 21: 500 in two minutes);
  one trainer's screen per process fetches the rotating QR every 10 s.
- Ratio*: loadtest/ratio's closed-loop flows (a bare Django view, an
  anonymous lesson, a logged-in lesson view, autosaves), one per run.

Every learner sends its own X-Forwarded-For (10.x.y.z; only the header, no
traffic goes there): behind nginx with TRUSTED_PROXY_COUNT=1 the rate limits
then see one address per learner, as in the field, instead of 127.0.0.1.

Needs LOAD_PLAN (written by loadtest/seed.py); writes LOAD_OUT (acknowledged
writes, per-class histograms, this process's CPU) when Locust quits; with
several processes (loadtest/run: one master, K workers) each writes its own,
merged by loadtest/merge_runs.py.
"""

import contextlib
import json
import os
import random
import re
import sys
import time
from itertools import count
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
import gevent.event
import psutil
import simple_websocket
from locust import FastHttpUser, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loadtest.loadkit.cpu import cpu_seconds, machine_busy_seconds  # noqa: E402
from loadtest.loadkit.quiz_page import attempt_id_in, questions_in  # noqa: E402
from loadtest.loadkit.summary import ClassStats, endpoint_class  # noqa: E402
from loadtest.loadkit.workers import address_numbers, learner_indices  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
EXAM_NO_SUBMIT_SHARE = float(os.environ.get("LOAD_EXAM_NO_SUBMIT_SHARE", "0.1"))
# The quiz page keeps a websocket open for extra time (quiz.js, /ws/attempts/).
EXAM_WEBSOCKET = os.environ.get("LOAD_EXAM_WEBSOCKET", "1") == "1"
# As quiz.js does offline: an autosave or submit that got no answer, a 5xx or
# a 429 is sent again (same sequence number) after 1 s, doubling up to 15 s,
# for at most this many seconds; any 200 acknowledges it. 0: no retry (the
# load runs count every failure once).
EXAM_RETRY_SECONDS = float(os.environ.get("LOAD_EXAM_RETRY_SECONDS", "0"))
# Every request's end time, endpoint class and outcome, for the fault runs'
# errors-during-the-fault and time-to-recover (loadtest/faults).
TIMELINE_ON = os.environ.get("LOAD_TIMELINE", "0") == "1"
# loadtest/ratio: requests are counted only inside a window that opens this
# many seconds after the start (warm-up) and lasts LOAD_MEASURE_SECONDS; the
# stack's CPU (LOAD_CPU_PIDS, its root processes) is read at its two ends.
MEASURE_AFTER = float(os.environ.get("LOAD_MEASURE_AFTER", "0"))
MEASURE_SECONDS = float(os.environ.get("LOAD_MEASURE_SECONDS", "0"))
CPU_PIDS = [int(p) for p in os.environ.get("LOAD_CPU_PIDS", "").split()]

CLASSES: dict[str, ClassStats] = {}
ACKED_ANSWERS: dict[tuple[int, int], tuple[int, list[int]]] = {}
ACKED_SUBMITS: set[int] = set()
ACKED_CHECKINS: set[int] = set()  # user ids answered "Bạn có mặt"
CPU = {"samples": []}
TIMELINE: list[tuple[float, str, bool]] = []
# One "view" of the ratio flows: a page, or a page and its personal state.
VIEWS = ClassStats()
WINDOW = {"open": MEASURE_AFTER == 0}
_addresses = address_numbers(os.environ.get("LOAD_WORKER"))
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    if not WINDOW["open"]:
        return
    CLASSES.setdefault(endpoint_class(name), ClassStats()).add(
        response_time, exception is not None
    )
    if TIMELINE_ON:
        TIMELINE.append((time.time(), endpoint_class(name), exception is None))


def _cpu_sampler():
    """This process's CPU % every 5 s: the gate is the generator under 90%."""
    process = psutil.Process()
    process.cpu_percent(None)
    while True:
        gevent.sleep(5)
        CPU["samples"].append(process.cpu_percent(None))


def _snapshot() -> tuple[float, float, float, float]:
    """(time, this process's CPU-s, the stack's CPU-s, the machine's busy CPU-s)."""
    return (
        time.time(),
        sum(psutil.Process().cpu_times()[:2]),
        cpu_seconds(CPU_PIDS) if CPU_PIDS else 0.0,
        machine_busy_seconds(),
    )


def _window():
    """Open the measured window after the warm-up, close it after
    MEASURE_SECONDS (if set): what comes after is not counted."""
    gevent.sleep(MEASURE_AFTER)
    CPU["start"] = _snapshot()
    CPU["samples"].clear()
    WINDOW["open"] = True
    if MEASURE_SECONDS:
        gevent.sleep(MEASURE_SECONDS)
        WINDOW["open"] = False
        CPU["end"] = _snapshot()


@events.test_start.add_listener
def _started(environment, **kwargs):
    CPU["start"] = _snapshot()
    CPU["sampler"] = gevent.spawn(_cpu_sampler)
    if MEASURE_AFTER:
        gevent.spawn(_window)


@events.quitting.add_listener
def _dump(environment, **kwargs):
    out = os.environ.get("LOAD_OUT")
    if not out:
        return
    before = CPU.get("start") or _snapshot()
    after = CPU.get("end") or _snapshot()
    wall = max(after[0] - before[0], 1e-9)
    cpu_used = after[1] - before[1]
    samples = CPU["samples"]
    Path(out).write_text(
        json.dumps(
            {
                "seconds": wall,
                "generator_cpu_percent": 100 * cpu_used / wall,
                "generator_cpu_max_percent": max(samples) if samples else None,
                "classes": {k: v.to_json() for k, v in CLASSES.items()},
                "acked_answers": [
                    [a, q, s, c] for (a, q), (s, c) in ACKED_ANSWERS.items()
                ],
                "acked_submits": sorted(ACKED_SUBMITS),
                "acked_checkins": sorted(ACKED_CHECKINS),
                "checkin_class": (PLAN.get("checkin_class") or {}).get("id"),
                "timeline": TIMELINE,
                "views": VIEWS.to_json(),
                "stack_cpu_seconds": after[2] - before[2] if CPU_PIDS else None,
                "machine_cpu_seconds": after[3] - before[3],
            }
        )
    )


def _ws_event(name: str, started: float, error: Exception | None) -> None:
    events.request.fire(
        request_type="WS",
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=0,
        exception=error,
        context={},
    )


def _tries():
    """The pause before each try: one try without LOAD_EXAM_RETRY_SECONDS,
    else retries after 1 s, doubling up to 15 s, within that budget."""
    yield 0.0
    spent, delay = 0.0, 1.0
    while spent + delay <= EXAM_RETRY_SECONDS:
        yield delay
        spent += delay
        delay = min(delay * 2, 15.0)


def _retryable(status: int) -> bool:
    """No answer (0), a server error or too many requests: try again."""
    return status == 0 or status >= 500 or status == 429


def _cookie(response, name: str) -> str | None:
    for header in response.headers.getlist("set-cookie"):
        key, _sep, rest = header.partition("=")
        if key.strip() == name:
            return rest.split(";", 1)[0]
    return None


def _json(response) -> dict:
    """The answer's JSON object, or {} for anything else (an error page)."""
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _learner_indices() -> count:
    """Which seeded learners this process plays: with several Locust
    workers (LOAD_WORKER=i/K) every K-th from the i-th (loadkit.workers)."""
    return learner_indices(os.environ.get("LOAD_WORKER"))


class Learner(FastHttpUser):
    """A learner with a ready session (from the plan). Actions are spaced by
    `self.pause`, chosen by each action: Locust's wait, so a stop is clean."""

    abstract = True
    population = ""
    connection_timeout = 60.0
    network_timeout = 60.0

    def wait_time(self):
        return self.pause

    def on_start(self):
        n = next(_addresses)
        self.address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        self.headers = {"X-Forwarded-For": self.address}
        self.rng = random.Random(n)
        self.pause = 0.0
        self.static_done = False
        if self.population:
            learners = PLAN[self.population]
            self.learner = learners[self.index() % len(learners)]
            self.csrf = self.learner["csrf"]
            self.headers["Cookie"] = (
                f"{PLAN['session_cookie']}={self.learner['session']}; "
                f"{PLAN['csrf_cookie']}={self.csrf}"
            )

    def index(self) -> int:
        raise NotImplementedError

    def arrive(self) -> None:
        """Wait out the arrival delay each on_start picks (self.pause), at its
        end: Locust runs a user's first task as soon as it is spawned and
        waits only after it, so without this every learner would arrive
        within the spawn ramp (all exam-takers in the first minute instead
        of over the start window)."""
        gevent.sleep(self.pause)
        self.pause = 0.0

    def think(self) -> float:
        return self.rng.uniform(15, 45)

    def page(self, url: str, detail: str, *, static: str = "page"):
        """GET a page as a phone does: its CSS and scripts the first time only."""
        with self.client.get(
            url,
            headers=self.headers,
            name=f"page:{detail}",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("location", "") if response.headers else ""
                response.failure(f"{response.status_code} {where}")
        if not self.static_done:
            self.static_done = True
            extra = PLAN["static"][static] if static != "page" else []
            for asset in PLAN["static"]["page"] + extra:
                self.client.get(asset, headers=self.headers, name="static:asset")
        return response

    def page_state(self, page_id: int, detail: str):
        """The personal part of a shared page, as page_state.js asks for it."""
        with self.client.get(
            f"/api/me/state?page={page_id}",
            headers=self.headers,
            name=f"state:{detail}",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(str(response.status_code))
            elif '"redirect": null' not in response.text:
                response.failure(f"redirected: {response.text[:120]}")
        return response

    def api_headers(self) -> dict:
        return {**self.headers, "X-CSRFToken": self.csrf}


class Browser(Learner):
    weight = 10
    population = "browsers"
    _index = _learner_indices()

    def index(self) -> int:
        return next(Browser._index)

    def on_start(self):
        super().on_start()
        self.course = PLAN["courses"][self.learner["course"]]
        self.steps = self._cycle()
        self.handed = None
        self.pause = self.rng.uniform(0, 30)  # arrivals spread, then steady
        self.arrive()

    def _cycle(self):
        """Course page, then per lesson: open it, mark it done; again. A page
        is what a phone asks for: the shared page, then its personal state,
        unless "done" brought that state (page_state.js)."""
        while True:
            yield ("course", self.course)
            for lesson in self.course["lessons"]:
                yield ("lesson", lesson)
                yield ("done", lesson)

    @task
    def act(self):
        kind, target = next(self.steps)
        if kind == "done":
            self.handed = self.done(target)
        else:
            self.page(target["url"], kind)
            if self.handed != target["id"]:
                self.page_state(target["id"], kind)
            self.handed = None
        self.pause = self.think()

    def done(self, lesson) -> int | None:
        """ "Hoàn thành bài học" as page_state.js sends it: the answer says
        where to go and carries that page's state; returns that page's id."""
        with self.client.post(
            f"/hoc/bai-hoc/{lesson['id']}/hoan-thanh/",
            data=f"csrfmiddlewaretoken={self.csrf}",
            headers={
                **self.headers,
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name="page:lesson-done",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            answer = _json(response)
            if response.status_code != 200 or not answer.get("state"):
                response.failure(f"{response.status_code} {response.text[:120]}")
                return None
            if answer["state"].get("redirect") is not None:
                response.failure(f"redirected: {answer['state']['redirect']}")
            return answer.get("page")


class VideoViewer(Learner):
    weight = 1
    population = "viewers"
    _index = _learner_indices()
    SEGMENT_SECONDS = 6
    HEARTBEAT_EVERY = 5  # segments: a heartbeat every 30 s

    def index(self) -> int:
        return next(VideoViewer._index)

    def on_start(self):
        super().on_start()
        self.segments: list[str] = []
        self.played = 0
        self.since_beat = 0
        self.pause = self.rng.uniform(0, self.SEGMENT_SECONDS)
        self.arrive()

    def _open(self):
        video = PLAN["video"]
        self.page(video["lesson_url"], "video-lesson", static="video")
        self.page_state(video["lesson_id"], "video-lesson")
        master = self.client.get(
            video["master_url"], headers=self.headers, name="hls-playlist:master"
        )
        base = video["master_url"].rsplit("/", 1)[0]
        lowest = next(
            line for line in (master.text or "").splitlines() if line.endswith(".m3u8")
        )
        playlist_url = f"{base}/{lowest}"
        playlist = self.client.get(
            playlist_url, headers=self.headers, name="hls-playlist:240p"
        )
        folder = playlist_url.rsplit("/", 1)[0]
        self.segments = [
            f"{folder}/{line}"
            for line in (playlist.text or "").splitlines()
            if line and not line.startswith("#")
        ]

    @task
    def watch(self):
        if not self.segments:
            self._open()
            if not self.segments:
                self.pause = self.SEGMENT_SECONDS
                return
        segment = self.segments[self.played % len(self.segments)]
        self.client.get(segment, headers=self.headers, name="hls-segment:240p")
        self.played += 1
        self.since_beat += 1
        if self.since_beat >= self.HEARTBEAT_EVERY:
            self.since_beat = 0
            video = PLAN["video"]
            position = (self.played * self.SEGMENT_SECONDS) % max(video["duration"], 1)
            self.client.post(
                "/api/media/heartbeat",
                json={
                    "media_id": video["media_id"],
                    "lesson_id": video["lesson_id"],
                    "position": position,
                    "watched": self.SEGMENT_SECONDS * self.HEARTBEAT_EVERY,
                },
                headers=self.api_headers(),
                name="heartbeat:media",
            )
        self.pause = self.SEGMENT_SECONDS


class ExamTaker(Learner):
    weight = 8
    population = "takers"
    _index = _learner_indices()

    def index(self) -> int:
        return next(ExamTaker._index)

    def on_start(self):
        super().on_start()
        exam = PLAN["exam"]
        self.deadline = exam["deadline"]
        starts_at = exam["run_start"] + self.rng.uniform(0, exam["start_window"])
        self.pause = max(0.0, starts_at - time.time())
        self.submits = self.rng.random() >= EXAM_NO_SUBMIT_SHARE
        self.attempt = None
        self.answers: dict[int, dict] = {}
        self.seq = 0
        self.done = False
        self.time_up = False
        self.arrive()

    def _start(self):
        """As a phone: the quiz page's "Bắt đầu" form, then the attempt's page
        (reloaded if it fails, as a learner would), whose form quiz.js answers."""
        attempt_id = self._start_as_the_page_does()
        if attempt_id is None:
            return
        for pause in (0.0, 5.0, 10.0):
            gevent.sleep(pause)
            response = self.page(
                f"/kiem-tra/lam-bai/{attempt_id}/", "attempt", static="exam"
            )
            questions = (
                questions_in(response.text or "") if response.status_code == 200 else []
            )
            if questions:
                self.attempt = {"id": attempt_id, "questions": questions}
                break
        else:
            return
        if EXAM_WEBSOCKET:
            self._listen()

    def _start_as_the_page_does(self) -> int | None:
        with self.client.post(
            f"/kiem-tra/bat-dau/{PLAN['quiz']['id']}/",
            data=f"csrfmiddlewaretoken={self.csrf}",
            headers={
                **self.headers,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name="start:attempt",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("location", "") if response.headers else ""
            attempt_id = (
                attempt_id_in(location) if response.status_code == 302 else None
            )
            if attempt_id is None:
                response.failure(f"{response.status_code} {location[:80]}")
            return attempt_id

    def _attempt_start(self):
        """The API's start (the ratio's autosave flow; a phone uses the form)."""
        with self.client.post(
            "/api/attempts",
            json={"quiz_id": PLAN["quiz"]["id"]},
            headers=self.api_headers(),
            name="start:attempt",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {(response.text or '')[:80]}")
                return
            self.attempt = response.json()

    def _listen(self):
        """Keep the attempt's websocket open as quiz.js does: reconnect after
        a close, 1 s later, doubling up to 60 s, until the test is finished.
        A close the learner did not cause counts as an error."""
        self.listening = True
        self.socket = None
        self.listener = gevent.spawn(self._socket_loop)

    def _socket_loop(self):
        url = self.host.replace("http", "ws", 1) + f"/ws/attempts/{self.attempt['id']}/"
        delay = 1.0
        while self.listening:
            started, error = time.perf_counter(), None
            try:
                self.socket = simple_websocket.Client.connect(
                    url,
                    headers={
                        "Cookie": self.headers["Cookie"],
                        "Origin": self.host,
                        "X-Forwarded-For": self.address,
                    },
                )
            except Exception as exc:  # any failure to connect is an error of the run
                error = exc
            _ws_event("websocket:connect", started, error)
            if error is None:
                delay = 1.0
                opened = time.perf_counter()
                try:
                    while True:
                        self.socket.receive()  # extra-time pushes, ignored
                except simple_websocket.ConnectionClosed as closed:
                    if not self.listening:
                        return
                    _ws_event("websocket:dropped", opened, closed)
            gevent.sleep(delay)
            delay = min(delay * 2, 60.0)

    def _stop_listening(self):
        self.listening = False
        if getattr(self, "socket", None) is not None:
            with contextlib.suppress(simple_websocket.ConnectionClosed):
                self.socket.close()

    def on_stop(self):
        self._stop_listening()

    def _autosave(self) -> bool:
        """One answer saved; True once acknowledged."""
        questions = self.attempt["questions"]
        unanswered = [q for q in questions if q["id"] not in self.answers]
        question = unanswered[0] if unanswered else self.rng.choice(questions)
        choices = [self.rng.choice(question["choices"])["id"]]
        # As quiz.js does: sequence numbers grow across reloads.
        self.seq = max(self.seq + 1, int(time.time() * 1000))
        seq = self.seq
        self.answers[question["id"]] = {"choice_ids": choices, "seq": seq}
        key = (self.attempt["id"], question["id"])
        for pause in _tries():
            gevent.sleep(pause)
            with self.client.put(
                f"/api/attempts/{key[0]}/answers/{key[1]}",
                json={"choice_ids": choices, "seq": seq},
                headers=self.api_headers(),
                name="autosave:answer",
                catch_response=True,
            ) as response:
                # A retry of a save whose answer was lost finds its own seq
                # stored (saved=false): quiz.js takes any 200 as acknowledged.
                acked = response.status_code == 200 and (
                    response.json().get("saved") or EXAM_RETRY_SECONDS > 0
                )
                if acked:
                    if seq > ACKED_ANSWERS.get(key, (0,))[0]:
                        ACKED_ANSWERS[key] = (seq, choices)
                    return True
                response.failure(f"{response.status_code} {(response.text or '')[:80]}")
                if not _retryable(response.status_code):
                    return False
        return False

    def _submit(self):
        answers = [{"question_id": q, **a} for q, a in self.answers.items()]
        for pause in _tries():
            gevent.sleep(pause)
            with self.client.post(
                f"/api/attempts/{self.attempt['id']}/submit",
                json={"answers": answers},
                headers=self.api_headers(),
                name="submit:attempt",
                catch_response=True,
            ) as response:
                if (
                    response.status_code == 200
                    and response.json().get("status") == "finished"
                ):
                    ACKED_SUBMITS.add(self.attempt["id"])
                    # quiz.js then opens the result page.
                    self.page(response.json()["result_url"], "result")
                    return
                response.failure(f"{response.status_code} {(response.text or '')[:80]}")
                if not _retryable(response.status_code):
                    return

    @task
    def act(self):
        now = time.time()
        if self.done:
            self.pause = 3600
            return
        if self.attempt is None:
            self._start()
            if self.attempt is None:
                self.done = True
                self.pause = 3600
                return
        elif now >= self.deadline - 0.5:  # a timer may wake a little early
            if self.submits and not self.time_up:
                # As quiz.js does: answers fixed now, the submit a random
                # moment of the spread later.
                self.time_up = True
                self.pause = self.rng.uniform(0, PLAN["exam"]["submit_spread"])
                return
            if self.submits:
                self._submit()
                self._stop_listening()  # the page leaves for the result
            self.done = True
            self.pause = 3600
            return
        else:
            self._autosave()
        # The next answer, or the deadline if it comes first.
        self.pause = min(self.think(), max(0.0, self.deadline - time.time()))


class CheckinAttendee(Learner):
    """Issue 21: an invited learner in the room scans the class's QR once, at
    a moment spread over the arrival window (the scenario's two minutes), and
    expects "Bạn có mặt"; the QR is the one the trainer's screen shows at that
    moment (`_trainer_screen`, one per Locust process, as qr.js asks for it
    every QR_REFRESH seconds), so a token is never older than a real scan's."""

    population = "checkin"
    _index = _learner_indices()

    def index(self) -> int:
        return next(CheckinAttendee._index)

    def on_start(self):
        super().on_start()
        _trainer_screen_start(self.host)
        arrivals = PLAN["checkin_class"]
        arrives_at = arrivals["run_start"] + self.rng.uniform(0, arrivals["window"])
        self.pause = max(0.0, arrives_at - time.time())
        self.done = False
        self.arrive()

    @task
    def scan(self):
        if self.done:
            self.pause = 3600
            return
        self.done = True
        self.pause = 3600
        QR["ready"].wait(timeout=QR_WAIT_SECONDS)
        if QR["path"] is None:
            events.request.fire(
                request_type="GET",
                name="checkin:qr",
                response_time=0,
                response_length=0,
                exception=RuntimeError("the trainer's screen has no QR"),
                context={},
            )
            return
        with self.client.get(
            QR["path"],
            headers=self.headers,
            name="checkin:qr",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or CHECKIN_DONE not in (response.text or ""):
                response.failure(f"{response.status_code} {checkin_refusal(response)}")
            else:
                ACKED_CHECKINS.add(self.learner["user_id"])


# The page a check-in answers with (training/checkin_done.html).
CHECKIN_DONE = "Bạn có mặt ở lớp"
QR_WAIT_SECONDS = 20
QR: dict = {"path": None, "ready": gevent.event.Event(), "screen": None}
_REFUSAL = re.compile(r'<p class="error" role="alert">([^<]*)</p>')


def checkin_refusal(response) -> str:
    """The refusal's message (checkin_refused.html), or where it redirected."""
    found = _REFUSAL.search(response.text or "")
    if found:
        return found.group(1)[:120]
    return response.headers.get("location", "") if response.headers else ""


def qr_path(url: str) -> str:
    """The path and query of the URL the QR encodes (absolute, for the
    phone's camera): the load test sends it to its own host."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _trainer_screen_start(host: str) -> None:
    if QR["screen"] is None:
        QR["screen"] = gevent.spawn(_trainer_screen, host)


def _trainer_screen(host: str) -> None:
    """The trainer's QR page (training/static/training/qr.js): the state
    endpoint, as the trainer, every `refresh` seconds; its URL is the QR."""
    from locust.contrib.fasthttp import FastHttpSession

    info = PLAN["checkin_class"]
    trainer = info["trainer"]
    session = FastHttpSession(base_url=host, request_event=events.request, user=None)
    headers = {
        "Cookie": f"{PLAN['session_cookie']}={trainer['session']}; "
        f"{PLAN['csrf_cookie']}={trainer['csrf']}",
        "X-Forwarded-For": "10.255.255.254",
    }
    while True:
        with session.get(
            info["state_url"],
            headers=headers,
            name="trainer:qr-state",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            try:
                QR["path"] = qr_path(response.json()["url"])
            except Exception:  # not the JSON the trainer's page reads
                response.failure(f"{response.status_code} {(response.text or '')[:80]}")
            else:
                QR["ready"].set()
        gevent.sleep(info["refresh"])


class LoginStorm(Learner):
    weight = 1
    _index = _learner_indices()

    def index(self) -> int:
        return next(LoginStorm._index)

    def on_start(self):
        super().on_start()
        storm = PLAN["storm"]
        self.username = storm[self.index() % len(storm)]["username"]
        self.pause = self.rng.uniform(0, PLAN["login"]["window"])
        self.arrive()
        self.done = False

    @task
    def log_in(self):
        if self.done:
            self.pause = 3600
            return
        self.done = True
        self.pause = 3600
        form = self.client.get(
            "/tai-khoan/login/", headers=self.headers, name="page:login-form"
        )
        csrf = _cookie(form, PLAN["csrf_cookie"])
        token = _CSRF_INPUT.search(form.text or "")
        if not (csrf and token):
            return
        body = urlencode(
            {
                "login": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1),
            }
        )
        with self.client.post(
            "/tai-khoan/login/",
            data=body,
            headers={
                **self.headers,
                "Cookie": f"{PLAN['csrf_cookie']}={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name="login:password",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            session = _cookie(response, PLAN["session_cookie"])
            if response.status_code != 302 or not session:
                response.failure(f"{response.status_code} no session")
                return
        self.headers["Cookie"] = f"{PLAN['session_cookie']}={session}"
        self.page("/hoc/cua-toi/", "my-courses")


# --- loadtest/ratio: closed-loop flows, each learner's next request as soon
# as the previous one is answered. Not part of the populations above: they
# run only when named (loadtest/ratio names one per Locust run).


class RatioFlow(Learner):
    abstract = True
    wait_time = constant(0)

    def on_start(self):
        super().on_start()
        self.static_done = True  # the flows compare pages, not their assets

    def view(self, started: float, ok: bool) -> None:
        if WINDOW["open"]:
            VIEWS.add((time.perf_counter() - started) * 1000, not ok)

    def lessons(self) -> list[dict]:
        """Each course's first lesson: open to every enrolled learner today
        (a later one redirects until the previous ones are done), so the
        logged-in flow measures the page, not a redirect."""
        return [course["lessons"][0] for course in PLAN["courses"]]


class RatioBare(RatioFlow):
    """loadtest/bare: Django, one PostgreSQL read, a tiny response."""

    @task
    def bare(self):
        started = time.perf_counter()
        with self.client.get(
            "/__bare/",
            headers=self.headers,
            name="bare:view",
            catch_response=True,
        ) as response:
            ok = response.status_code == 200
            if not ok:
                response.failure(str(response.status_code))
        self.view(started, ok)


class RatioAnonLesson(RatioFlow):
    """A lesson page without an account (the courses' first lessons in
    turn); only a 200 counts: a redirect to the login page is a failure."""

    def on_start(self):
        super().on_start()
        self.step = count(self.rng.randrange(1000))

    @task
    def lesson(self):
        lessons = self.lessons()
        lesson = lessons[next(self.step) % len(lessons)]
        started = time.perf_counter()
        response = self.page(lesson["url"], "ratio-anon-lesson")
        self.view(started, response.status_code == 200)


class RatioLessonView(RatioFlow):
    """A logged-in learner's lesson view: the page (the same for every
    reader) and its personal state (/api/me/state), one view per pair; the
    first lesson of the learner's course."""

    population = "browsers"
    _index = _learner_indices()

    def index(self) -> int:
        return next(RatioLessonView._index)

    @task
    def lesson(self):
        lesson = self.lessons()[self.learner["course"]]
        started = time.perf_counter()
        page = self.page(lesson["url"], "ratio-lesson")
        state = self.page_state(lesson["id"], "ratio-lesson")
        self.view(started, page.status_code == 200 and state.status_code == 200)


class RatioAutosave(ExamTaker):
    """An exam-taker's autosaves, one after the other, on an attempt started
    once (before the measured window)."""

    wait_time = constant(0)

    def on_start(self):
        Learner.on_start(self)
        self.static_done = True
        self.attempt = None
        self.answers = {}
        self.seq = 0
        self._attempt_start()

    def save(self):
        if self.attempt is None:
            self._attempt_start()
            return
        started = time.perf_counter()
        self.view(started, self._autosave())

    view = RatioFlow.view


# Locust adds a base class's tasks to a subclass's: only the autosave loop
# here, not ExamTaker's start-answer-submit cycle.
RatioAutosave.tasks = [RatioAutosave.save]
