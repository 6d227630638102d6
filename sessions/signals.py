"""Signal receivers, registered by the app config (kept free of heavy imports: it loads at start-up)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Course, Participant, Photo


def print_name(image_name: str) -> str:
    """The print copy's name (sessions.photos.print_name; that module loads Pillow, this one must stay light)."""
    return image_name.removesuffix(".jpg") + "-print.jpg"


@receiver(post_delete, sender=Photo, dispatch_uid="borgerblik-photo-files")
def photo_files_removed(sender, instance: Photo, **kwargs) -> None:
    """Delete a photo's files once its row is gone for good, also when a course is deleted or purged."""
    image, thumbnail = instance.image, instance.thumbnail
    print_copy = print_name(image.name) if image.name else None

    def remove() -> None:
        if print_copy:
            image.storage.delete(print_copy)
        image.delete(save=False)
        thumbnail.delete(save=False)

    transaction.on_commit(remove)


def forget_documents_after_commit(course_id: int, participant_ids: tuple[int, ...] = ()) -> None:
    """Delete the course's cached PDFs once the deletion is committed (until then they may be printed again)."""

    def forget() -> None:
        from .printables import forget_course_documents  # imports WeasyPrint: only once something is deleted

        forget_course_documents(course_id, participant_ids)

    transaction.on_commit(forget)


@receiver(post_delete, sender=Course, dispatch_uid="borgerblik-course-documents")
def course_documents_removed(sender, instance: Course, **kwargs) -> None:
    """A deleted course (purged, in the admin or otherwise) takes its cached documents along."""
    forget_documents_after_commit(instance.pk)


@receiver(post_delete, sender=Participant, dispatch_uid="borgerblik-participant-documents")
def participant_documents_removed(sender, instance: Participant, **kwargs) -> None:
    """A deleted participant's own sheets, and the course's documents that may print their name or sheets."""
    forget_documents_after_commit(instance.course_id, (instance.pk,))


@receiver(post_delete, sender=Photo, dispatch_uid="borgerblik-photo-documents")
def photo_documents_removed(sender, instance: Photo, **kwargs) -> None:
    """The course's documents that may print a deleted photo."""
    forget_documents_after_commit(instance.course_id)
