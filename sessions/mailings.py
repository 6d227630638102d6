"""Sending the invitation, the reminder and the thank-you: first send, then record what the server took."""

import logging
import smtplib
from dataclasses import dataclass, field
from uuid import UUID

from django.core.cache import cache
from django.core.mail import BadHeaderError, get_connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .closing import ensure_open
from .models import Course, Mailing, MailingKind

logger = logging.getLogger(__name__)

# What a mail server that is down, slow or refusing raises (OSError covers refused and timed-out
# connections); a header the message cannot carry fails the same way instead of answering 500.
MAIL_ERRORS = (smtplib.SMTPException, OSError, BadHeaderError)


def mail_subject(course: Course, kind: str) -> str:
    # One line even for a name stored before the forms refused line breaks: a header cannot carry them.
    touchpoint = " ".join((course.touchpoint.name if course.touchpoint else course.title).split())
    if kind == MailingKind.REMINDER:
        return _("Påmindelse: interview om %(touchpoint)s") % {"touchpoint": touchpoint}
    if kind == MailingKind.THANKS:
        return _("Tak for jeres blik på %(touchpoint)s") % {"touchpoint": touchpoint}
    return _("Borgerens blik: vi undersøger %(touchpoint)s") % {"touchpoint": touchpoint}


@dataclass
class MailingResult:
    """What became of one press of a send button."""

    sent: list = field(default_factory=list)  # participants whose message the mail server accepted
    failed: list = field(default_factory=list)  # participants whose message it did not take
    repeated: bool = False  # this form was sent before: nothing went out again
    busy: bool = False  # the same form is being sent right now (a double click): nothing went out


def mailing_send(
    *, course: Course, kind: str, client_key: UUID, outgoing: list, user=None, resuming: bool = False
) -> MailingResult:
    """Send each (participant, message) of `outgoing`, then record the sending with the number the server took.

    Nothing is recorded when the server took nothing. The form's client_key makes a double click send
    once: a key already recorded sends nothing again, unless `resuming` says the caller is finishing that
    sending for those it left behind (the caller leaves out everybody who got it); the record then counts
    them too."""
    ensure_open(course)  # a closed course sends nothing more to anybody
    lock = f"mailing-send:{client_key}"
    if not cache.add(lock, True, timeout=600):
        return MailingResult(busy=True)
    try:
        mailing = Mailing.objects.filter(course=course, client_key=client_key).first()
        if mailing is not None and not resuming:
            return MailingResult(repeated=True)
        result = _deliver(outgoing)
        if result.sent and mailing is None:
            Mailing.objects.create(
                course=course, kind=kind, client_key=client_key, recipients=len(result.sent), sent_by=user
            )
        elif result.sent:
            Mailing.objects.filter(pk=mailing.pk).update(
                recipients=F("recipients") + len(result.sent), sent_at=timezone.now()
            )
        return result
    finally:
        cache.delete(lock)


def _deliver(outgoing: list) -> MailingResult:
    """One connection for all; each message on its own, so one refused address does not stop the others."""
    result = MailingResult()
    if not outgoing:
        return result
    connection = get_connection()
    try:
        connection.open()
    except MAIL_ERRORS:
        logger.warning("The mail server did not answer: %d message(s) not sent.", len(outgoing), exc_info=True)
        result.failed = [participant for participant, _message in outgoing]
        return result
    try:
        for participant, message in outgoing:
            try:
                accepted = connection.send_messages([message])
            except MAIL_ERRORS:
                logger.warning(
                    "The mail server did not take the message to participant %s.", participant.pk, exc_info=True
                )
                accepted = 0
            (result.sent if accepted else result.failed).append(participant)
    finally:
        try:
            connection.close()
        except MAIL_ERRORS:
            logger.warning("Closing the mail connection failed.", exc_info=True)
    return result
