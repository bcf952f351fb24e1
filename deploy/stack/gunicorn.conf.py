"""gunicorn hooks for the local stack: each worker says when it can serve,
so that deploy/stack/reload stops the old workers only then."""

import os
from pathlib import Path


def post_worker_init(worker):
    ready = Path(os.environ["GUNICORN_READY_DIR"])
    ready.mkdir(parents=True, exist_ok=True)
    (ready / str(worker.pid)).touch()
