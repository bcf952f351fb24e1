"""An open quiz page waits on the channel layer for extra time; a wait with
nothing to receive must not end the connection (redis-py 8 read timeout
against channels-redis' 5-second blocking pop)."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL, reason="the Redis channel layer needs REDIS_URL"
)


def test_a_message_after_an_idle_wait_still_arrives():
    layer = get_channel_layer()

    async def scenario():
        channel = await layer.new_channel()

        async def extra_time_later():
            # Longer than channels-redis' blocking pop (5 s): the receive has
            # had to wait through a whole empty pop first.
            await asyncio.sleep(6)
            await layer.send(channel, {"type": "deadline.changed"})

        sender = asyncio.create_task(extra_time_later())
        try:
            return await asyncio.wait_for(layer.receive(channel), timeout=20)
        finally:
            await sender
            await layer.flush()

    assert async_to_sync(scenario)()["type"] == "deadline.changed"
