"""Safe file uploads for the whole product (AP6, SE3).

Three steps, used the same way by every app that accepts a file:

    checked = validate_upload(request.FILES["file"])      # or UploadField in a form
    path = store_upload(checked, folder="organisations/policies")
    ...keep path, checked.name, checked.content_type and checked.size on the record...
    return download_response(path, filename=..., content_type=...)   # after a permission check

A file's type is read from its content, never from its name or from the content type the browser
sent. Only PDF, DOCX, XLSX, ODT, PNG and JPEG are accepted. Stored files live in Django's default
storage (local disk outside the web root, or object storage) under a path nobody can guess, and
are only ever served through a view that has checked who is asking.

Files are received by `LimitedUploadHandler` (the FILE_UPLOAD_HANDLERS setting): it stops
reading a request as soon as its files pass the largest size allowed, and keeps what it has
received in memory or in an anonymous temporary file that the system removes once it is closed
or the process ends, even when it is killed. A view that accepts a file passes
`uploaded_files(request)` to its form, so a refused file shows a plain message on the form.
"""

import hashlib
import hmac
import math
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import models
from django.http import FileResponse, Http404
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.core.errors import DomainError

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 10 * MB
# A zip-based document bigger than this once unpacked is refused unread (a "zip bomb").
MAX_UNPACKED_BYTES = 250 * MB
MAX_ZIP_ENTRIES = 10_000
NAME_MAX_LENGTH = 100


@dataclass(frozen=True)
class FileType:
    """A kind of file the product accepts."""

    key: str
    extension: str
    content_type: str
    label: Promise


PDF = FileType("pdf", "pdf", "application/pdf", gettext_lazy("PDF"))
DOCX = FileType(
    "docx",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    gettext_lazy("Word document (DOCX)"),
)
XLSX = FileType(
    "xlsx",
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    gettext_lazy("Excel spreadsheet (XLSX)"),
)
ODT = FileType(
    "odt", "odt", "application/vnd.oasis.opendocument.text", gettext_lazy("OpenDocument text (ODT)")
)
PNG = FileType("png", "png", "image/png", gettext_lazy("PNG"))
JPEG = FileType("jpeg", "jpg", "image/jpeg", gettext_lazy("JPEG"))

FILE_TYPES: dict[str, FileType] = {t.key: t for t in (PDF, DOCX, XLSX, ODT, PNG, JPEG)}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class UploadRefused(DomainError):
    """A file was refused. `message` says why in plain English; `code` names the reason."""

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message, field=field)
        self.code = code


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed `validate_upload`: its detected type and a safe name to store it by."""

    file: object
    file_type: FileType
    name: str
    original_name: str
    size: int

    @property
    def content_type(self) -> str:
        return self.file_type.content_type

    @property
    def extension(self) -> str:
        return self.file_type.extension


def max_upload_bytes() -> int:
    return int(getattr(settings, "COMMISSIONING_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def size_label(size: int, *, round_up: bool = False) -> str:
    """'12.4 MB', '10 MB', '350 KB': one decimal at most, and none when it is zero."""
    if size >= MB:
        value, unit = size / MB, _("MB")
    else:
        value, unit = size / 1024, _("KB")
    value = math.ceil(value * 10) / 10 if round_up else round(value, 1)
    number = f"{value:.1f}".removesuffix(".0")
    return f"{number} {unit}"


def allowed_types_label(allowed: Iterable[str] | None = None) -> str:
    """'a PDF, Word document (DOCX), ... or JPEG' for the allowed types, in a fixed order."""
    labels = [str(t.label) for t in _types(allowed)]
    if len(labels) == 1:
        return labels[0]
    return _("%(list)s or %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}


def upload_hint(allowed: Iterable[str] | None = None, max_bytes: int | None = None) -> str:
    """Hint text for a file field: which types and how large."""
    return _("%(types)s, up to %(size)s.") % {
        "types": allowed_types_label(allowed),
        "size": size_label(max_bytes or max_upload_bytes()),
    }


def validate_upload(
    file, *, allowed: Iterable[str] | None = None, max_bytes: int | None = None
) -> CheckedUpload:
    """Check an uploaded file (a Django `File`) and say what it is, or raise `UploadRefused`.

    `allowed` narrows the accepted types by key ("pdf", "docx", "xlsx", "odt", "png", "jpeg");
    `max_bytes` defaults to the COMMISSIONING_MAX_UPLOAD_BYTES setting (10 MB). The file's name
    is only used to build a safe name with the extension of the detected type.
    """
    types = _types(allowed)
    limit = max_bytes or max_upload_bytes()
    original_name = str(getattr(file, "name", "") or "")
    shown = display_name(original_name)
    size = _size_of(file)
    if size == 0:
        raise UploadRefused(_("'%(name)s' is empty.") % {"name": shown}, code="empty")
    if size > limit:
        raise UploadRefused(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": size_label(size, round_up=True), "limit": size_label(limit)},
            code="too_large",
        )
    detected = detect_file_type(file, name=shown)
    if detected is None or detected not in types:
        raise UploadRefused(
            _("The file must be a %(types)s. '%(name)s' is not any of these.")
            % {"types": allowed_types_label(allowed), "name": shown},
            code="type",
        )
    return CheckedUpload(
        file=file,
        file_type=detected,
        name=safe_filename(original_name, extension=detected.extension),
        original_name=original_name,
        size=size,
    )


def detect_file_type(file, *, name: str = "") -> FileType | None:
    """The type of a file from its content, or None when it is none of the accepted types.

    Raises `UploadRefused` for a file of an accepted kind that cannot be used safely: protected
    with a password, containing macros, or damaged. `name` is only used in those messages.
    """
    head = _read_at(file, 0, 64)
    tail = _read_tail(file, 4096)
    name = name or _("The file")
    if head.startswith(b"%PDF-"):
        if b"%%EOF" not in tail:
            raise _damaged(name)
        if _pdf_is_encrypted(file):
            raise _password_protected(name)
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        if head[12:16] != b"IHDR" or b"IEND" not in tail:
            raise _damaged(name)
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        if b"\xff\xd9" not in tail:
            raise _damaged(name)
        return JPEG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # An old Word or Excel file (.doc, .xls), or a password-protected DOCX or XLSX.
        raise UploadRefused(
            _(
                "'%(name)s' is in an older Office format or is protected with a password. "
                "Save it as a PDF, DOCX or XLSX without a password and upload it again."
            )
            % {"name": name},
            code="legacy_or_encrypted",
        )
    if head.startswith(b"PK\x03\x04"):
        return _zip_document_type(file, name)
    return None


def safe_filename(name: str, *, extension: str, max_length: int = NAME_MAX_LENGTH) -> str:
    """A name fit to store and to offer as a download.

    Directories, '..', control characters and anything but letters, digits, spaces, hyphens and
    underscores are removed; the name is shortened to `max_length` and ends in `extension`.
    '../../etc/passwd.pdf' becomes 'passwd.pdf'.
    """
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    text = re.split(r"[\\/]", text)[-1]
    stem = text.rsplit(".", 1)[0] if "." in text.lstrip(".") else text.lstrip(".")
    stem = re.sub(r"[^A-Za-z0-9 _-]+", "-", stem)
    stem = re.sub(r"-{2,}", "-", re.sub(r"\s+", " ", stem)).strip(" -_")
    stem = stem[: max(1, max_length - len(extension) - 1)].rstrip(" -_") or "document"
    return f"{stem}.{extension}"


def display_name(name: str) -> str:
    """The last part of a name as sent by the browser, without control characters, for messages."""
    text = re.split(r"[\\/]", str(name or ""))[-1]
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C").strip()
    return (text[:77] + "...") if len(text) > 80 else (text or _("The file"))


def store_upload(checked: CheckedUpload, *, folder: str, storage: Storage | None = None) -> str:
    """Save a checked file through Django's storage API and return its path in the storage.

    The path is `<folder>/<digest>.<extension>`, where the digest is a keyed hash of the content:
    it cannot be guessed without the site's secret key and the file itself, the same content is
    stored once, and nothing a user typed becomes part of it. `folder` is a fixed name chosen by
    the calling app, such as "organisations/policies".
    """
    if not re.fullmatch(r"[a-z0-9_-]+(/[a-z0-9_-]+)*", folder):
        raise ValueError(f"Not a safe upload folder: {folder!r}")
    storage = storage or default_storage
    path = f"{folder}/{_content_digest(checked.file)}.{checked.extension}"
    if storage.exists(path):
        return path
    checked.file.seek(0)
    return storage.save(path, checked.file)


def download_response(
    path: str, *, filename: str, content_type: str, storage: Storage | None = None
) -> FileResponse:
    """Serve a stored file as a download. Call it only after checking the user may see it.

    The browser is told to save the file (`Content-Disposition: attachment`), not to guess its
    type (`nosniff`), not to run anything in it, and not to cache it. A missing file is a 404.
    """
    storage = storage or default_storage
    try:
        handle = storage.open(path, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class UploadField(forms.FileField):
    """A form field whose cleaned value is a `CheckedUpload` (or None when left empty)."""

    widget = forms.FileInput

    def __init__(
        self, *, allowed: Iterable[str] | None = None, max_bytes: int | None = None, **kwargs
    ):
        self.allowed = list(allowed) if allowed is not None else None
        self.max_bytes = max_bytes
        kwargs.setdefault("help_text", lazy(upload_hint, str)(self.allowed, self.max_bytes))
        error_messages = {
            "required": gettext_lazy("Select a file"),
            "empty": gettext_lazy("The selected file is empty"),
            "invalid": gettext_lazy("Select a file"),
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(error_messages=error_messages, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(
            sorted({f".{t.extension}" for t in _types(self.allowed)} | _extra_accept(self.allowed))
        )
        return attrs

    def clean(self, data, initial=None):
        if isinstance(data, RefusedUpload):
            raise forms.ValidationError(data.message, code="too_large")
        data = super().clean(data, initial)
        if not data:
            return None
        try:
            return validate_upload(data, allowed=self.allowed, max_bytes=self.max_bytes)
        except UploadRefused as refusal:
            raise forms.ValidationError(refusal.message, code=refusal.code) from refusal


# Receiving files ----------------------------------------------------------------------------

REFUSED_ATTRIBUTE = "_commissioning_refused_upload"


@dataclass(frozen=True)
class RefusedUpload:
    """Stands in a form's files for a file refused as it arrived, so the form can say why."""

    field_name: str
    file_name: str
    limit: int

    @property
    def message(self) -> str:
        return _(
            "'%(name)s' is too large: the largest allowed is %(limit)s. Make it smaller and "
            "upload it again."
        ) % {"name": display_name(self.file_name), "limit": size_label(self.limit)}


class LimitedUploadHandler(FileUploadHandler):
    """Receives the files of a request and refuses them as they arrive.

    Once the files of one request pass COMMISSIONING_MAX_UPLOAD_BYTES, the request is read no
    further (`StopUpload` without reading the rest of the body) and the refusal is kept on the
    request for `uploaded_files`. A file is kept in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE and
    in an anonymous temporary file beyond that: it has no name on disk, so nothing is left
    behind when an upload fails, is cut off, or its process is killed.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.received = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.file = tempfile.SpooledTemporaryFile(
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR
        )

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(
                    self.request,
                    REFUSED_ATTRIBUTE,
                    RefusedUpload(self.field_name, self.file_name, self.limit),
                )
            raise StopUpload(connection_reset=True)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        return UploadedFile(
            file=self.file,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def upload_interrupted(self):
        if hasattr(self, "file"):
            self.file.close()


def uploaded_files(request):
    """The request's files for a form, with a `RefusedUpload` in place of a file that was
    refused as it arrived."""
    files = request.FILES
    refused = getattr(request, REFUSED_ATTRIBUTE, None)
    if refused is None:
        return files
    files = files.copy()
    files[refused.field_name] = refused
    return files


class StoredFile(models.Model):
    """Fields for a record that holds one stored upload. Fill them with `stored_file_values`."""

    file_path = models.CharField(gettext_lazy("stored file"), max_length=255, editable=False)
    filename = models.CharField(gettext_lazy("file name"), max_length=NAME_MAX_LENGTH)
    content_type = models.CharField(gettext_lazy("file type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(gettext_lazy("file size"), editable=False)

    class Meta:
        abstract = True

    @property
    def size_label(self) -> str:
        return size_label(self.size)

    @property
    def file_type_label(self) -> str:
        for file_type in FILE_TYPES.values():
            if file_type.content_type == self.content_type:
                return str(file_type.label)
        return self.content_type


def stored_file_values(checked: CheckedUpload, path: str) -> dict:
    """The `StoredFile` field values for a checked upload saved at `path`."""
    return {
        "file_path": path,
        "filename": checked.name,
        "content_type": checked.content_type,
        "size": checked.size,
    }


# Internals.


def _extra_accept(allowed) -> set[str]:
    return {".jpeg"} if JPEG in _types(allowed) else set()


def _types(allowed: Iterable[str] | None) -> list[FileType]:
    if allowed is None:
        return list(FILE_TYPES.values())
    keys = set(allowed)
    unknown = keys - FILE_TYPES.keys()
    if unknown:
        raise ValueError(f"Unknown file types: {sorted(unknown)}")
    return [t for t in FILE_TYPES.values() if t.key in keys]


def _size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    return int(size)


def _read_at(file, offset: int, length: int) -> bytes:
    file.seek(offset)
    data = file.read(length)
    file.seek(0)
    return data or b""


def _read_tail(file, length: int) -> bytes:
    size = _size_of(file)
    return _read_at(file, max(0, size - length), length)


def _pdf_is_encrypted(file) -> bool:
    """An /Encrypt entry in a trailer or cross-reference stream marks an encrypted PDF."""
    pattern = re.compile(rb"/Encrypt(?![A-Za-z0-9])")
    file.seek(0)
    carry = b""
    try:
        while chunk := file.read(64 * 1024):
            if pattern.search(carry + chunk):
                return True
            carry = chunk[-16:]
        return False
    finally:
        file.seek(0)


def _zip_document_type(file, name: str) -> FileType | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise _damaged(name)
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise _password_protected(name)
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise _damaged(name)
            names = {entry.filename for entry in entries}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise UploadRefused(
                    _(
                        "'%(name)s' contains macros. Save it as an ordinary document or "
                        "spreadsheet without macros and upload it again."
                    )
                    % {"name": name},
                    code="macros",
                )
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and "content.xml" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read(info).strip() == ODT_MIMETYPE:
                    return ODT
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise _damaged(name) from None
    except RuntimeError:
        raise _password_protected(name) from None
    finally:
        file.seek(0)


def _damaged(name: str) -> UploadRefused:
    return UploadRefused(
        _(
            "'%(name)s' seems to be damaged or incomplete. Check that it opens on your "
            "computer and upload it again."
        )
        % {"name": name},
        code="damaged",
    )


def _password_protected(name: str) -> UploadRefused:
    return UploadRefused(
        _("'%(name)s' is protected with a password. Remove the password and upload it again.")
        % {"name": name},
        code="encrypted",
    )


def _content_digest(file) -> str:
    key = hashlib.sha256(b"commissioning.core.uploads" + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(key, digestmod=hashlib.sha256)
    file.seek(0)
    while chunk := file.read(64 * 1024):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()[:40]
