"""Wagtail behaviour the platform cannot leave as it is, kept in one place.

Each fix names what it answers; remove it when Wagtail does the same."""

from django.core.exceptions import ValidationError
from wagtail.admin.widgets.chooser import BaseChooser

_chooser_get_instance = BaseChooser.get_instance


def _chooser_get_instance_of_any_value(self, value):
    # A chooser drawing a form again after a hand-edited id ("abc", "1.5")
    # looked it up as given and raised a 500 (issue 15, item 12); the form's
    # own field already reports the bad value, so draw the chooser empty.
    try:
        return _chooser_get_instance(self, value)
    except (ValueError, TypeError, ValidationError):
        return None


def wagtail_fixes_apply() -> None:
    BaseChooser.get_instance = _chooser_get_instance_of_any_value
