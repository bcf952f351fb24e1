"""Warm the stack before a measured run: every gunicorn process compiles its
templates and fills its connection pool on its first requests, which would
otherwise show in a short run's p95 as a cold start, not as load.

    python loadtest/warmup.py PLAN.json URL [ROUNDS]

Bounded: ROUNDS (default 32) passes over a handful of pages, 8 at a time."""

import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def fetch(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def requests_for(plan: dict, base: str) -> list[urllib.request.Request]:
    learner = next(
        (
            plan[k][0]
            for k in ("browsers", "takers", "viewers", "checkin")
            if plan.get(k)
        ),
        None,
    )
    headers = (
        {"Cookie": f"{plan['session_cookie']}={learner['session']}"} if learner else {}
    )
    urls = ["/", "/tai-khoan/login/", "/diem-danh/"]
    for course in plan["courses"]:
        urls += [course["url"], course["lessons"][0]["url"]]
    return [urllib.request.Request(base + url, headers=headers) for url in urls]


def main(plan_path: Path, base: str, rounds: int) -> None:
    plan = json.loads(plan_path.read_text())
    batch = requests_for(plan, base) * rounds
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, batch))
    print(f"warm-up: {len(statuses)} requests, {statuses.count(200)} × 200")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 32)
