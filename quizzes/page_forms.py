"""The quiz page's CMS form: the time limit in minutes, as editors say it."""

import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

_MINUTES = re.compile(r"\s*(\d{1,4})\s*(phút|phut)?\s*", re.IGNORECASE)


class MinutesDurationField(forms.DurationField):
    """ "10" or "10 phút" is ten minutes; "00:10:00" still works (issue 24,
    item 12: the limit had to be typed as hours:minutes:seconds)."""

    def prepare_value(self, value):
        if isinstance(value, timedelta) and value.total_seconds() % 60 == 0:
            return str(int(value.total_seconds() // 60))
        return super().prepare_value(value)

    def to_python(self, value):
        match = _MINUTES.fullmatch(str(value or ""))
        duration = timedelta(minutes=int(match[1])) if match else self._duration(value)
        if duration is not None and duration <= timedelta(0):
            raise ValidationError(_("Thời gian làm bài phải dài hơn 0 phút."))
        return duration

    def _duration(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            # Billions of days is not a limit anyone meant.
            if error.code == "overflow":
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from error
            raise


class QuizPageForm(WagtailAdminPageForm):
    time_limit = MinutesDurationField(
        label=_("thời gian làm bài"),
        help_text=_("Số phút, ví dụ 15 hoặc “15 phút”."),
    )
