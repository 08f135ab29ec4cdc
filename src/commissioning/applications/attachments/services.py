"""Supporting documents attached to a draft application (AP6). Files are checked by content in
`core.uploads` before they reach these functions, stored under a path nobody can guess, and
served only through a view that has checked who is asking."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.applications.models import Application, Attachment
from commissioning.applications.services import new_public_id
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.uploads import CheckedUpload, store_upload

FOLDER = "applications/attachments"
MAX_ATTACHMENTS = 20


def _require_draft(application: Application) -> None:
    if not application.is_editable:
        raise DomainError(
            _("This application has been submitted, so its documents can no longer be changed.")
        )


def attachment_add(
    *, application: Application, actor, description: str, upload: CheckedUpload
) -> Attachment:
    """Attach a checked file to a draft, with a description of what it is."""
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Enter what the document is"), field="description")
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("office")
            .get(pk=application.pk)
        )
        _require_draft(locked)
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise DomainError(
                _("You can attach up to %(max)s documents. Remove one to add another.")
                % {"max": MAX_ATTACHMENTS}
            )
        path = store_upload(upload, folder=FOLDER)
        attachment = Attachment.objects.create(
            application=locked,
            description=description[:200],
            path=path,
            filename=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            public_id=new_public_id(),
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="attachment.added",
            target=attachment,
            office=locked.office,
            data={
                "application": locked.public_id,
                "filename": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
            },
        )
    return attachment


def attachment_remove(*, attachment: Attachment, actor) -> None:
    """Remove a document from a draft. The stored file goes too, unless another record uses
    the same content."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("office")
            .get(pk=attachment.application_id)
        )
        _require_draft(locked)
        audit_event_record(
            actor=actor,
            verb="attachment.removed",
            target=attachment,
            office=locked.office,
            data={"application": locked.public_id, "filename": attachment.filename},
        )
        path = attachment.path
        attachment.delete()
        transaction.on_commit(lambda: _delete_if_unused(path))


def _delete_if_unused(path: str) -> None:
    if not Attachment.objects.filter(path=path).exists():
        default_storage.delete(path)
