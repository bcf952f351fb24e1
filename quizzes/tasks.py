from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer


def attempt_group(attempt_id: int) -> str:
    return f"attempt-{attempt_id}"


@shared_task
def attempts_overdue_finish_task() -> int:
    from .services import attempts_overdue_finish

    return attempts_overdue_finish()


@shared_task
def deadlines_push_task(attempt_ids: list[int]) -> None:
    """Tell the open quiz pages their new deadline (extra time was granted)."""
    from .models import Attempt

    layer = get_channel_layer()
    for attempt_id, deadline in Attempt.objects.filter(pk__in=attempt_ids).values_list(
        "pk", "deadline"
    ):
        async_to_sync(layer.group_send)(
            attempt_group(attempt_id),
            {"type": "deadline.changed", "deadline": deadline.isoformat()},
        )
