"""Signal receivers, registered by the app config (kept free of heavy imports: it loads at start-up)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Photo


@receiver(post_delete, sender=Photo, dispatch_uid="borgerblik-photo-files")
def photo_files_removed(sender, instance: Photo, **kwargs) -> None:
    """Delete a photo's files once its row is gone for good, also when a course is deleted or purged."""
    image, thumbnail = instance.image, instance.thumbnail
    transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))
