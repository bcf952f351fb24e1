"""How long the platform has to answer a data subject's request.

Decree 356/2025/NĐ-CP, Art. 5 (in force with Law 91/2025/QH15 from 1/1/2026):
acknowledge within 2 working days; view, correct or provide the data within
10 days; withdraw consent, restrict or object within 15 days; delete within
20 days. Source: https://datafiles.chinhphu.vn/cpp/files/vbpq/2026/01/356-nd.signed.pdf
(summarised in ../shared/content/topics.md, topic 6). The days are counted
as calendar days from the day the request is received.
"""

from datetime import datetime, timedelta

from .models import RequestKind

ACKNOWLEDGE_WORKING_DAYS = 2
ANSWER_DAYS = {
    RequestKind.ACCESS: 10,
    RequestKind.CORRECT: 10,
    RequestKind.WITHDRAW_CONSENT: 15,
    RequestKind.ERASE: 20,
}


def request_deadline(*, kind: str, received_at: datetime) -> datetime:
    return received_at + timedelta(days=ANSWER_DAYS[kind])
