"""Fixed-window rate limits counted in the database, so they hold across server processes and threads.

A hit is one `UPDATE … SET count = count + 1` followed by reading the count back in the same transaction:
the row stays locked until the transaction ends (PostgreSQL) or the whole write is serialised (SQLite's
IMMEDIATE transactions), so no two hits see the same count, however many arrive at once. The first hit
of a window inserts the row; two first hits at once meet the unique constraint and the loser counts
again as an update. Windows are fixed (aligned to multiples of their length): a hit late in a window
does not move its end. Expired rows are deleted whenever a new window begins.

The cache is not used on purpose: the database cache's incr is a get followed by a set.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind the reverse proxy (DJANGO_BEHIND_PROXY) the address
    the proxy appended last to X-Forwarded-For (anything before it is whatever the client sent)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or "unknown"


def _window(seconds: int) -> tuple[datetime, datetime]:
    now = timezone.now().timestamp()
    start = now - now % seconds
    return datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(start + seconds, UTC)


def count(key: str, *, window: int) -> int:
    """Hits on `key` in the current window, without counting one."""
    start, _ = _window(window)
    return RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first() or 0


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on `key`; True while this hit is within the `limit` of the current `window` (seconds)."""
    start, end = _window(window)
    current = RateCounter.objects.filter(key=key, window_start=start)
    for _attempt in range(3):
        with transaction.atomic():
            if current.update(count=F("count") + 1):
                return current.values_list("count", flat=True).get() <= limit
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=start, expires_at=end, count=1)
        except IntegrityError:
            continue  # another process began the window a moment ago: count into its row
        purge_expired()
        return limit >= 1
    raise RuntimeError(f"Could not count a hit on {key!r}.")  # pragma: no cover – the row exists by now


def purge_expired() -> int:
    """Delete the rows of windows that have ended (an index on expires_at keeps this cheap)."""
    deleted, _ = RateCounter.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
