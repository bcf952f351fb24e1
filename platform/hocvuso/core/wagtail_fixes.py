"""Wagtail behaviour the platform cannot leave as it is, kept in one place.

Each fix names what it answers; remove it when Wagtail does the same."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.admin.widgets.slug import SlugInput
from wagtail.models import Page

from .text import ASCII_LETTERS

_chooser_get_instance = BaseChooser.get_instance


def _chooser_get_instance_of_any_value(self, value):
    # A chooser drawing a form again after a hand-edited id ("abc", "1.5")
    # looked it up as given and raised a 500 (issue 15, item 12); the form's
    # own field already reports the bad value, so draw the chooser empty.
    try:
        return _chooser_get_instance(self, value)
    except (ValueError, TypeError, ValidationError):
        return None


_page_get_url = Page.get_url


def _page_get_url_relative_on_shared_pages(self, request=None, current_site=None):
    # Province sites (issue 22) serve the same pages on several host names:
    # Wagtail then writes every URL asked for without the current site as an
    # absolute one on the first site's host, which sends a learner of the
    # second site to the first. Where every site has the same root, a page's
    # path is the same on all of them.
    roots = {root.root_path for root in self._get_site_root_paths(request)}
    if len(roots) == 1:
        parts = self.get_url_parts(request=request)
        return parts[2] if parts is not None else None
    return _page_get_url(self, request=request, current_site=current_site)


def _ascii_letter_formatters() -> list[tuple[str, str]]:
    by_base = defaultdict(str)
    for letter, base in ASCII_LETTERS.items():
        by_base[base] += letter
    return [(f"[{letters}]", base) for base, letters in sorted(by_base.items())]


class AsciiSlugInput(SlugInput):
    """The slug the CMS fills in from a title, with the letters of
    `core.text.slug_ascii`: Wagtail's urlify dropped "ị" and turned "đ" into
    "dj" (issue 24, item 11)."""

    def __init__(self, attrs=None, formatters=None, locale=None):
        super().__init__(
            attrs, formatters=formatters or _ascii_letter_formatters(), locale=locale
        )


def wagtail_fixes_apply() -> None:
    BaseChooser.get_instance = _chooser_get_instance_of_any_value
    Page.get_url = _page_get_url_relative_on_shared_pages
    Page.url = property(_page_get_url_relative_on_shared_pages)
    register_form_field_override(models.SlugField, override={"widget": AsciiSlugInput})
