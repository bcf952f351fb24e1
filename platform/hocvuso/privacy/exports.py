"""The learner's copy of their data: JSON for machines, XLSX for people,
both from `selectors.personal_data_get`, through the one export writer."""

import json
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from hocvuso.core.export_writer import xlsx_append, xlsx_bytes, xlsx_workbook

from .selectors import PersonalData


def _local(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def personal_data_json(data: PersonalData) -> bytes:
    return json.dumps(
        data.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    ).encode("utf-8")


def personal_data_xlsx(data: PersonalData, *, title: str) -> bytes:
    """One sheet, a titled table per section, dates as people write them."""
    wb = xlsx_workbook()
    ws = wb.create_sheet("Du lieu cua toi")
    xlsx_append(ws, [title], bold=True)
    for section, headers, rows in data.sections:
        xlsx_append(ws, [])
        xlsx_append(ws, [section], bold=True)
        xlsx_append(ws, headers, bold=True)
        for row in rows:
            xlsx_append(ws, [_local(v) for v in row])
        if not rows:
            xlsx_append(ws, ["—"])
    return xlsx_bytes(wb)


def personal_data_file_name(*, ext: str) -> str:
    return f"du-lieu-cua-toi-{timezone.localdate():%Y%m%d}.{ext}"
