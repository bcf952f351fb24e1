"""/ws/bao-cao/truc-tiep/<unit code>/: every few seconds the dashboard
counts of the unit's children, for admins whose scope holds the unit."""

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hocvuso.orgunits.selectors import admin_scope_get, unit_in_scope_get

from .live import live_counts, live_interval


class LiveDashboardConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        code = self.scope["url_route"]["kwargs"]["code"]
        self.unit = await database_sync_to_async(self._unit)(user, code)
        if self.unit is None:
            await self.close(code=4403)
            return
        await self.accept()
        self.ticker = asyncio.create_task(self._tick())

    @staticmethod
    def _unit(user, code):
        if user is None or not user.is_authenticated:
            return None
        scope = admin_scope_get(user=user)
        return unit_in_scope_get(scope=scope, code=code) if scope else None

    async def _tick(self):
        while True:
            data = await database_sync_to_async(live_counts)(unit=self.unit)
            await self.send_json(data)
            await asyncio.sleep(live_interval())

    async def disconnect(self, code):
        ticker = getattr(self, "ticker", None)
        if ticker is not None:
            ticker.cancel()
