"""Mail servers that fail, for the tests (settings.EMAIL_BACKEND = "tests.mail_backends.…")."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class DownBackend(BaseEmailBackend):
    """A mail server that does not answer. Like Django's SMTP backend when the connection drops in the
    middle of a sending (a plain OSError), it raises whatever fail_silently says."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(LocmemBackend):
    """Takes every message into mail.outbox except those to an address in `refused`."""

    refused: set[str] = set()

    def send_messages(self, email_messages):
        for message in email_messages:
            refused = {address: (550, b"Mailbox unavailable") for address in message.to if address in self.refused}
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
        return super().send_messages(email_messages)
