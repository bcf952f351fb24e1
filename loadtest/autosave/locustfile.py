"""Exam-takers autosaving answers. Each simulated learner answers one random
question of its own attempt with an increasing sequence number; every
acknowledged save is recorded and checked against PostgreSQL after the run."""

import json
import os
import random
import time
from itertools import count
from pathlib import Path

from locust import FastHttpUser, constant_throughput, events, task

TAKERS = json.loads(Path(os.environ["AUTOSAVE_TAKERS"]).read_text())
ACKED: dict[tuple[int, int], tuple[int, list[int]]] = {}
_next_taker = count()


class ExamTaker(FastHttpUser):
    # One save every 2 s per learner, whatever the latency: USERS / 2 saves/s
    # offered (600 users → 300/s), so a slow server shows as latency, not as
    # a quietly lower load.
    wait_time = constant_throughput(0.5)

    def on_start(self):
        self.taker = TAKERS["takers"][next(_next_taker) % len(TAKERS["takers"])]
        self.cookie = (
            f"{TAKERS['session_cookie']}={self.taker['session']}; "
            f"csrftoken={self.taker['csrf']}"
        )
        self.seq = 0

    @task
    def autosave(self):
        question, choices = random.choice(list(self.taker["questions"].items()))
        chosen = [random.choice(choices)]
        # As the quiz page does: sequence numbers grow across runs and reloads.
        self.seq = max(self.seq + 1, int(time.time() * 1000))
        seq = self.seq
        with self.client.put(
            f"/api/attempts/{self.taker['attempt']}/answers/{question}",
            json={"choice_ids": chosen, "seq": seq},
            headers={"Cookie": self.cookie, "X-CSRFToken": self.taker["csrf"]},
            name="PUT /api/attempts/[id]/answers/[q]",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and response.json()["saved"]:
                key = (self.taker["attempt"], int(question))
                if seq > ACKED.get(key, (0,))[0]:
                    ACKED[key] = (seq, chosen)
                response.success()
            else:
                response.failure(f"{response.status_code} {response.text[:80]}")


@events.quitting.add_listener
def dump_acknowledged(environment, **kwargs):
    path = os.environ.get("AUTOSAVE_ACKED")
    if path:
        with open(path, "w") as handle:
            json.dump([[a, q, s, c] for (a, q), (s, c) in ACKED.items()], handle)
