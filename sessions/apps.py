from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    # Django's own session app owns the label "sessions".
    name = "sessions"
    label = "dialogue"
    verbose_name = _("Dialogforløb")

    def ready(self):
        from . import signals  # noqa: F401  (registers the receivers: photo files, cached documents)
