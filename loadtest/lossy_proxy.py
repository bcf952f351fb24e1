"""A slow, lossy link between the learners and nginx (fault 8 of loadtest/faults).

    python loadtest/lossy_proxy.py --listen 8820 --upstream 8800 \
        --latency-ms 150 --drop 0.1 --seconds 300

A TCP proxy on 127.0.0.1 only: every chunk, either way, is held back by the
latency before it is passed on, and a share of the connections is cut at a
random moment of their first --drop-within seconds, as a phone losing its
signal does: sometimes before the request reached the server, sometimes after
the server answered but before the answer arrived. Bounded: it stops after
--seconds and refuses connections beyond --max-connections.
"""

import argparse
import asyncio
import contextlib
import random
from dataclasses import dataclass, field

LOCALHOST = "127.0.0.1"


@dataclass
class LinkStats:
    connections: int = 0
    dropped: int = 0
    refused: int = 0


@dataclass
class LossyLink:
    upstream_port: int
    latency: float = 0.15
    drop_share: float = 0.1
    drop_within: float = 10.0
    max_connections: int = 5000
    rng: random.Random = field(default_factory=random.Random)
    stats: LinkStats = field(default_factory=LinkStats)
    _open: int = 0

    async def handle(self, client_reader, client_writer) -> None:
        if self._open >= self.max_connections:
            self.stats.refused += 1
            client_writer.close()
            return
        self._open += 1
        self.stats.connections += 1
        upstream_writer = None
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                LOCALHOST, self.upstream_port
            )
            pipes = [
                asyncio.create_task(self._pipe(client_reader, upstream_writer)),
                asyncio.create_task(self._pipe(upstream_reader, client_writer)),
            ]
            # Both directions run until each has seen its end, unless one
            # fails (a reset) or the link is cut.
            cut = (
                self.rng.uniform(0, self.drop_within)
                if self.rng.random() < self.drop_share
                else None
            )
            _done, pending = await asyncio.wait(
                pipes, timeout=cut, return_when=asyncio.FIRST_EXCEPTION
            )
            if (
                pending
                and cut is not None
                and not any(
                    p.done() and not p.cancelled() and p.exception() for p in pipes
                )
            ):
                self.stats.dropped += 1
            for pipe in pipes:
                pipe.cancel()
            await asyncio.gather(*pipes, return_exceptions=True)
        except OSError:
            pass
        finally:
            self._open -= 1
            for writer in (client_writer, upstream_writer):
                if writer is not None:
                    _abort(writer)

    async def _pipe(self, reader, writer) -> None:
        # Latency, not a bandwidth cap: each chunk waits, in order.
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver():
            while True:
                due, chunk = await queue.get()
                await asyncio.sleep(max(0.0, due - loop.time()))
                if not chunk:
                    with contextlib.suppress(OSError):
                        writer.write_eof()
                    return
                writer.write(chunk)
                await writer.drain()

        sender = asyncio.create_task(deliver())
        try:
            while True:
                chunk = await reader.read(65536)
                queue.put_nowait((loop.time() + self.latency, chunk))
                if not chunk:
                    break
            await sender
        finally:
            sender.cancel()


def _abort(writer) -> None:
    """Close at once, as a lost signal does (an RST, not a polite FIN)."""
    transport = writer.transport
    if transport is not None and not transport.is_closing():
        transport.abort()


async def serve(link: LossyLink, *, port: int, seconds: float) -> LinkStats:
    server = await asyncio.start_server(link.handle, LOCALHOST, port)
    async with server:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.serve_forever(), timeout=seconds)
    return link.stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=150)
    parser.add_argument("--drop", type=float, default=0.1)
    parser.add_argument("--drop-within", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--max-connections", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    link = LossyLink(
        upstream_port=args.upstream,
        latency=args.latency_ms / 1000,
        drop_share=args.drop,
        drop_within=args.drop_within,
        max_connections=args.max_connections,
        rng=random.Random(args.seed),
    )
    stats = asyncio.run(serve(link, port=args.listen, seconds=args.seconds))
    print(
        f"connections={stats.connections} dropped={stats.dropped} refused={stats.refused}",
        flush=True,
    )


if __name__ == "__main__":
    main()
