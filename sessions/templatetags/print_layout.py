"""Filters for laying out the printed documents."""

from django import template

register = template.Library()

# About half an A4 page of the summary's text beside its labels: a prøvehandling shorter than this is
# kept on one page; a longer one may break between (and inside) its fields, so that it never leaves its
# heading alone on a page it cannot fit on.
KEEP_TOGETHER_CHARS = 1800
TRIAL_FIELDS = ("experience", "wonder", "action", "observe", "reflection", "new_actions")


@register.filter
def keeps_together(action) -> bool:
    return sum(len(getattr(action, name, "") or "") for name in TRIAL_FIELDS) < KEEP_TOGETHER_CHARS
