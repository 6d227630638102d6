"""Password throttling with django-axes: the backend that refuses a locked login, and the page that says so.

After settings.AXES_FAILURE_LIMIT wrong passwords for one username, or from one address (counted
apart), every login for that username or from that address is refused, the right password too, until
settings.AXES_COOLOFF_TIME has passed since the last counted failure. The login page and the admin's
login go through the same authenticate(), so both are throttled.
"""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.shortcuts import render


class ThrottledLogins(AxesStandaloneBackend):
    """Axes' check for every login that arrives with a request. A call without one (a management command
    or a script on the server) is no login over the network: axes would refuse it with an error, so it
    is passed on to the next backend unchecked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The Danish page for a refused login: 429 and how long to wait."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    response = render(
        request, "registration/locked_out.html", {"minutes": max(1, math.ceil(seconds / 60))}, status=429
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
