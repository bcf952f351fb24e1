"""The production ASGI server speaks websocket: uvicorn, started with the
command the ws Deployment runs and production settings, upgrades a learner's
/ws/attempts/<id>/ to a websocket (101), and the runtime dependencies the
image installs carry the protocol implementation that command names.

Without one, uvicorn treats the upgrade as plain HTTP and /ws/ answers 404:
no extra test time and no live dashboard reach a page."""

import base64
import hashlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from quizzes.services import attempt_start

REPO = Path(__file__).resolve().parents[2]
WS_MANIFEST = REPO / "deploy" / "k8s" / "base" / "ws.yaml"
WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _ws_command() -> list[str]:
    docs = [d for d in yaml.safe_load_all(WS_MANIFEST.read_text()) if d]
    (deployment,) = [d for d in docs if d["kind"] == "Deployment"]
    return deployment["spec"]["template"]["spec"]["containers"][0]["command"]


def _option(command: list[str], name: str) -> str:
    (value,) = [
        word.split("=", 1)[1] for word in command if word.startswith(name + "=")
    ]
    return value


def test_the_runtime_dependencies_carry_the_websocket_protocol_uvicorn_runs():
    protocol = _option(_ws_command(), "--ws")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    runtime = {
        re.split(r"[=<>\[]", requirement)[0].lower(): requirement
        for requirement in pyproject["project"]["dependencies"]
    }
    # the image installs these and no extras (deploy/Dockerfile)
    assert protocol in runtime, f"{protocol} is not a runtime dependency"
    pin = runtime[protocol]
    assert "==" in pin
    lock = (REPO / "deploy" / "requirements.lock").read_text().split()
    assert pin in lock, f"{pin} differs from deploy/requirements.lock"
    compose = (REPO / "deploy" / "compose.yaml").read_text()
    assert f'"--ws", "{protocol}"' in compose


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url_for_a_subprocess(tmp_path: Path) -> str:
    """The rows this test committed, readable by another process."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # The SQLite test database lives in this process's memory: copy it.
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def _handshake(port: int, path: str, cookie: str = "") -> tuple[str, dict[str, str]]:
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Key: {key}\r\nOrigin: http://localhost\r\n"
        + (f"Cookie: {cookie}\r\n" if cookie else "")
        + "\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = sock.recv(4096)
            if not chunk:
                break
            response += chunk
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in head[1:])
    }
    expected_accept = base64.b64encode(
        hashlib.sha1((key + WEBSOCKET_GUID).encode()).digest()
    ).decode()
    if head[0].split()[1] == "101":
        assert headers["sec-websocket-accept"] == expected_accept
    return head[0], headers


@pytest.fixture
def production_uvicorn(tmp_path):
    """start(database_url, secret_key) → port of uvicorn running the ws Deployment's command."""
    processes = []

    def start(database_url: str, secret_key: str) -> int:
        port = _free_port()
        command = [
            word
            for word in _ws_command()
            if not word.startswith(("--host=", "--port="))
        ]
        command[0] = str(Path(sys.executable).with_name(command[0]))
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "REDIS_URL", "CELERY_"))
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="hocvuso.settings.production",
            SECRET_KEY=secret_key,
            DATABASE_URL=database_url,
            ALLOWED_HOSTS="localhost,127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            PYTHONPATH=f"{REPO}{os.pathsep}{REPO / 'platform'}",
        )
        log = (tmp_path / "uvicorn.log").open("w")
        process = subprocess.Popen(
            [*command, "--host=127.0.0.1", f"--port={port}"],
            cwd=tmp_path,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail((tmp_path / "uvicorn.log").read_text())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port
            except OSError:
                time.sleep(0.2)
        pytest.fail("uvicorn did not listen within 60 s")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_production_uvicorn_upgrades_a_learners_quiz_socket(
    make_quiz, make_learner, production_uvicorn, tmp_path
):
    learner = make_learner()
    attempt = attempt_start(user=learner, quiz=make_quiz())
    # the session is signed, and tied to the password, with the server's key
    secret_key = "ws-test-" + base64.b64encode(os.urandom(45)).decode()
    client = Client()
    with override_settings(SECRET_KEY=secret_key):
        client.force_login(learner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = production_uvicorn(_database_url_for_a_subprocess(tmp_path), secret_key)

    status, headers = _handshake(
        port,
        f"/ws/attempts/{attempt.pk}/",
        cookie=f"{settings.SESSION_COOKIE_NAME}={session}",
    )
    assert status.startswith("HTTP/1.1 101"), status
    assert headers["upgrade"].lower() == "websocket"

    # a stranger's socket reaches the consumer too, which refuses it
    status, _ = _handshake(port, f"/ws/attempts/{attempt.pk}/")
    assert status.startswith("HTTP/1.1 403"), status
