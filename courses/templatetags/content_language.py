from django import template

from ..translation import title_in_language

register = template.Library()


@register.filter
def in_reader_language(page) -> str:
    """A page's title in the reader's language where translated."""
    return title_in_language(page) if page is not None else ""
