from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import SESSION_KEY

from .tasks import attempt_group


class AttemptConsumer(AsyncJsonWebsocketConsumer):
    """Pushes deadline changes to the learner's open quiz page.

    Every taker connects when the test opens and again after each network
    drop, so a connect loads no user (it is routed without Channels' auth
    middleware): as for the quiz API (courses.api_auth.SessionUserId), the
    session, read from the cache, gives the user id, and one query checks the
    attempt is theirs, both in one trip to the database thread.
    """

    async def connect(self):
        attempt_id = int(self.scope["url_route"]["kwargs"]["attempt_id"])
        if not await self._owns(self.scope["session"], attempt_id):
            await self.close(code=4403)
            return
        self.group = attempt_group(attempt_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def deadline_changed(self, event):
        await self.send_json({"type": "deadline", "deadline": event["deadline"]})

    @database_sync_to_async
    def _owns(self, session, attempt_id: int) -> bool:
        from .models import Attempt

        user_id = session.get(SESSION_KEY)
        return bool(user_id) and (
            Attempt.objects.filter(pk=attempt_id, user_id=user_id).exists()
        )
