from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .tasks import attempt_group


class AttemptConsumer(AsyncJsonWebsocketConsumer):
    """Pushes deadline changes to the learner's open quiz page."""

    async def connect(self):
        user = self.scope.get("user")
        attempt_id = int(self.scope["url_route"]["kwargs"]["attempt_id"])
        if (
            not user
            or not user.is_authenticated
            or not await self._owns(user.pk, attempt_id)
        ):
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
    def _owns(self, user_id: int, attempt_id: int) -> bool:
        from .models import Attempt

        return Attempt.objects.filter(pk=attempt_id, user_id=user_id).exists()
