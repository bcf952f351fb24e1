from celery import shared_task


@shared_task
def scores_send_task(score_ids: list[int]) -> int:
    from .services import score_send

    return sum(score_send(score_id=pk) for pk in score_ids)


@shared_task
def scores_send_due_task() -> int:
    from .services import scores_send_due

    return scores_send_due()
