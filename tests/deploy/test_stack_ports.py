"""The local stack's servers listen on fixed ports. A port inside the kernel's
ephemeral range can be held by any client connection of the moment, or by its
TIME_WAIT for a minute after: after the 20-minute suite CI's load smoke found
127.0.0.1:55432 taken that way and PostgreSQL refused to start ("could not
bind"). Every default listening port must lie outside that range."""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STACK_ENV = REPO / "deploy" / "stack" / "env"
RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
PORT_NAMES = (
    "STACK_HTTP_PORT",
    "STACK_WSGI_PORT",
    "STACK_ASGI_PORT",
    "STACK_PG_PORT",
    "STACK_REDIS_PORT",
    "STACK_BARE_PORT",
)


def stack_default_ports() -> dict[str, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STACK_")}
    script = f'source "{STACK_ENV}" >/dev/null; ' + "; ".join(
        f"echo {name}=${name}" for name in PORT_NAMES
    )
    out = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    return {
        name: int(value) for name, value in (line.split("=") for line in out.split())
    }


def test_the_stack_listens_outside_the_ephemeral_port_range():
    if not RANGE_FILE.exists():
        pytest.skip("no Linux ephemeral port range to compare with")
    low, high = (int(n) for n in RANGE_FILE.read_text().split())
    ports = stack_default_ports()
    assert set(ports) == set(PORT_NAMES)
    inside = {name: port for name, port in ports.items() if low <= port <= high}
    assert inside == {}, f"ports inside {low}-{high}: {inside}"
