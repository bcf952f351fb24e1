"""The slow, lossy link of fault 8: latency both ways, whole data when the
connection is spared, a cut when it is not, and a bounded life."""

import asyncio
import random
import time

from loadtest.lossy_proxy import LossyLink, serve


async def _echo(reader, writer):
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()


async def _through(link: LossyLink, talk):
    upstream = await asyncio.start_server(_echo, "127.0.0.1", 0)
    link.upstream_port = upstream.sockets[0].getsockname()[1]
    proxy = await asyncio.start_server(link.handle, "127.0.0.1", 0)
    port = proxy.sockets[0].getsockname()[1]
    try:
        return await talk(port)
    finally:
        proxy.close()
        upstream.close()


def test_a_spared_connection_carries_everything_late():
    link = LossyLink(upstream_port=0, latency=0.1, drop_share=0.0)
    payload = bytes(range(256)) * 1000

    async def talk(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        started = time.monotonic()
        writer.write(payload)
        await writer.drain()
        writer.write_eof()
        received = await asyncio.wait_for(reader.read(), timeout=10)
        writer.close()
        return received, time.monotonic() - started

    received, seconds = asyncio.run(_through(link, talk))
    assert received == payload
    assert seconds >= 0.2  # 100 ms there, 100 ms back
    assert link.stats.connections == 1 and link.stats.dropped == 0


def test_a_dropped_connection_is_cut_mid_conversation():
    link = LossyLink(
        upstream_port=0,
        latency=0.0,
        drop_share=1.0,
        drop_within=0.3,
        rng=random.Random(1),
    )

    async def talk(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"ping")
        await writer.drain()
        first = await asyncio.wait_for(reader.read(4), timeout=5)
        try:
            rest = await asyncio.wait_for(reader.read(), timeout=5)
        except ConnectionResetError:
            rest = b""
        writer.close()
        return first, rest

    first, rest = asyncio.run(_through(link, talk))
    assert (first, rest) == (b"ping", b"")
    assert link.stats.dropped == 1


def test_connections_beyond_the_limit_are_refused():
    link = LossyLink(upstream_port=0, max_connections=0)

    async def talk(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        data = await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        return data

    assert asyncio.run(_through(link, talk)) == b""
    assert link.stats.refused == 1


def test_the_proxy_stops_after_its_seconds():
    started = time.monotonic()
    stats = asyncio.run(serve(LossyLink(upstream_port=9), port=0, seconds=0.5))
    assert time.monotonic() - started < 3
    assert stats.connections == 0
