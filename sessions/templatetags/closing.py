"""`{% course_closing course %}`: the course's closed state and purge date, or the way to close it."""

from django import template
from django.conf import settings

from ..closing import may_close

register = template.Library()


@register.inclusion_tag("sessions/course_closing.html", takes_context=True)
def course_closing(context, course):
    return {
        "course": course,
        "may_close": may_close(course, context["request"].user),
        "retention_days": settings.BORGERBLIK_RETENTION_DAYS,
        "csrf_token": context.get("csrf_token"),
    }
