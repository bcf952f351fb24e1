from quizzes.models import Choice


def correct_choices(attempt, question_id: int) -> list[int]:
    return sorted(
        Choice.objects.filter(question_id=question_id, correct=True).values_list(
            "pk", flat=True
        )
    )


def wrong_choice(attempt, question_id: int) -> list[int]:
    return [
        Choice.objects.filter(question_id=question_id, correct=False)
        .values_list("pk", flat=True)
        .first()
    ]
