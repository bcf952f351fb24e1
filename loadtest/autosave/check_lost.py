"""Compare every acknowledged autosave with what PostgreSQL holds: an
acknowledged answer that is not stored (or is older) counts as lost."""

import json
import os
import sys
from pathlib import Path

import django

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")
django.setup()

from quizzes.models import Answer  # noqa: E402

acked = json.loads(Path(sys.argv[1]).read_text())
stored = {
    (a.attempt_id, a.question_id): (a.seq, a.choice_ids)
    for a in Answer.objects.filter(attempt_id__in={row[0] for row in acked})
}


def kept(row) -> bool:
    """Stored is this answer, or a newer one the client sent after it."""
    seq, choices = stored.get((row[0], row[1]), (0, None))
    return seq > row[2] or (seq == row[2] and choices == row[3])


lost = [row for row in acked if not kept(row)]
print(json.dumps({"acknowledged": len(acked), "lost": len(lost)}))
sys.exit(1 if lost else 0)
