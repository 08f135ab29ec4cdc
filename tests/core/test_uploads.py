"""AP6 / SE3: uploads are checked by content, stored under unguessable names, served only as
downloads."""

import re

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.uploads import (
    MB,
    UploadField,
    UploadRefused,
    download_response,
    safe_filename,
    size_label,
    store_upload,
    validate_upload,
)
from tests.core.files import (
    docx_bytes,
    encrypted_pdf_bytes,
    encrypted_zip,
    jpeg_bytes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)

ALL_TYPES = (
    "The file must be a PDF, Word document (DOCX), Excel spreadsheet (XLSX), "
    "OpenDocument text (ODT), PNG or JPEG."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return tmp_path / "media"


@pytest.mark.parametrize(
    ("name", "build", "key", "extension", "content_type"),
    [
        ("policy.pdf", pdf_bytes, "pdf", "pdf", "application/pdf"),
        (
            "policy.docx",
            docx_bytes,
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            xlsx_bytes,
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("policy.odt", odt_bytes, "odt", "odt", "application/vnd.oasis.opendocument.text"),
        ("photo.png", png_bytes, "png", "png", "image/png"),
        ("photo.jpeg", jpeg_bytes, "jpeg", "jpg", "image/jpeg"),
    ],
)
def test_each_allowed_type_is_accepted(name, build, key, extension, content_type):
    checked = validate_upload(upload(name, build()))
    assert checked.file_type.key == key
    assert checked.content_type == content_type
    assert checked.name == f"{name.rsplit('.', 1)[0]}.{extension}"


def test_a_text_file_named_report_pdf_is_refused():
    with pytest.raises(UploadRefused) as refusal:
        validate_upload(upload("report.pdf", b"Not a PDF at all\n" * 20, "application/pdf"))
    assert refusal.value.message == f"{ALL_TYPES} 'report.pdf' is not any of these."
    assert refusal.value.code == "type"


def test_the_type_comes_from_the_content_not_the_name_or_browser():
    checked = validate_upload(upload("scan.pdf", png_bytes(), "application/pdf"))
    assert checked.content_type == "image/png"
    assert checked.name == "scan.png"


def test_an_oversize_file_is_refused_with_its_size():
    content = b"%PDF-1.4\n" + b"0" * int(12.35 * MB) + b"\n%%EOF\n"
    with pytest.raises(UploadRefused) as refusal:
        validate_upload(upload("big.pdf", content))
    assert refusal.value.message == "The file is 12.4 MB; the largest allowed is 10 MB."


def test_the_limit_is_a_setting_and_the_limit_itself_is_allowed(settings):
    content = pdf_bytes()
    settings.COMMISSIONING_MAX_UPLOAD_BYTES = len(content)
    assert validate_upload(upload("a.pdf", content)).size == len(content)
    settings.COMMISSIONING_MAX_UPLOAD_BYTES = len(content) - 1
    with pytest.raises(UploadRefused) as refusal:
        validate_upload(upload("a.pdf", content))
    assert refusal.value.code == "too_large"


def test_a_narrower_set_of_types_names_only_those():
    with pytest.raises(UploadRefused) as refusal:
        validate_upload(upload("photo.png", png_bytes()), allowed=["pdf", "docx"])
    assert refusal.value.message == (
        "The file must be a PDF or Word document (DOCX). 'photo.png' is not any of these."
    )


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (encrypted_pdf_bytes(), "encrypted"),
        (pdf_bytes()[:-20], "damaged"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy_or_encrypted"),
        (b"PK\x03\x04" + b"garbage" * 30, "damaged"),
        (encrypted_zip(docx_bytes()), "encrypted"),
        (docx_bytes({"word/vbaProject.bin": b"\x00" * 10}), "macros"),
        (zip_bytes({"readme.txt": b"hello"}), "type"),
        (
            zip_bytes(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": b"<x/>",
                }
            ),
            "type",
        ),
        (b"<html><script>alert(1)</script></html>", "type"),
        (b"\x7fELF" + b"\x00" * 100, "type"),
    ],
    ids=[
        "empty",
        "encrypted-pdf",
        "truncated-pdf",
        "broken-png",
        "old-office-or-password",
        "garbage-zip",
        "encrypted-zip",
        "macros",
        "other-zip",
        "ods-not-odt",
        "html",
        "executable",
    ],
)
def test_unusable_files_are_refused_in_plain_english(content, code):
    with pytest.raises(UploadRefused) as refusal:
        validate_upload(upload("evidence.pdf", content))
    assert refusal.value.code == code
    assert "evidence.pdf" in refusal.value.message or code == "too_large"


def test_a_zip_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr("commissioning.core.uploads.MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(UploadRefused) as refusal:
        validate_upload(upload("policy.docx", docx_bytes({"word/media/big.bin": b"0" * 5000})))
    assert refusal.value.code == "damaged"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("..", "document.pdf"),
        ("", "document.pdf"),
        (".pdf", "pdf.pdf"),
        ("Safeguarding policy (2025).docx", "Safeguarding policy -2025.pdf"),
        ("bad\x00name\r\n.pdf", "bad-name.pdf"),
        ("Polisi diogelu – ŵyr.pdf", "Polisi diogelu wyr.pdf"),
        ("report.pdf.exe", "report-pdf.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
    ],
)
def test_names_are_sanitised(name, expected):
    assert safe_filename(name, extension="pdf") == expected


def test_a_path_in_an_uploaded_name_is_dropped():
    checked = validate_upload(upload("../../etc/passwd.pdf", pdf_bytes()))
    assert checked.name == "passwd.pdf"


@given(st.text(max_size=400))
def test_any_name_becomes_safe(name):
    result = safe_filename(name, extension="docx")
    assert re.fullmatch(r"[A-Za-z0-9 _-]+\.docx", result)
    assert len(result) <= 100
    assert ".." not in result and "/" not in result and "\\" not in result
    assert not result.startswith((" ", "-"))


def test_size_labels():
    assert size_label(10 * MB) == "10 MB"
    assert size_label(int(12.35 * MB), round_up=True) == "12.4 MB"
    assert size_label(10 * MB + 1, round_up=True) == "10.1 MB"
    assert size_label(350 * 1024) == "350 KB"


def test_stored_files_have_unguessable_paths_and_their_content(media):
    content = pdf_bytes("Confidential accounts")
    checked = validate_upload(upload("Annual accounts.pdf", content))
    path = store_upload(checked, folder="organisations/documents")
    assert re.fullmatch(r"organisations/documents/[0-9a-f]{40}\.pdf", path)
    assert "accounts" not in path.lower()
    assert (media / path).read_bytes() == content
    again = store_upload(
        validate_upload(upload("copy.pdf", content)), folder="organisations/documents"
    )
    assert again == path
    other = store_upload(
        validate_upload(upload("x.pdf", pdf_bytes("Other"))), folder="organisations/documents"
    )
    assert other != path


@pytest.mark.parametrize("folder", ["../etc", "/abs", "a/../b", "Upper", "a//b", ""])
def test_store_refuses_unsafe_folders(folder):
    checked = validate_upload(upload("a.pdf", pdf_bytes()))
    with pytest.raises(ValueError, match="Not a safe upload folder"):
        store_upload(checked, folder=folder)


def test_download_response_is_an_attachment_that_cannot_be_sniffed():
    path = default_storage.save("organisations/policies/x.pdf", ContentFile(pdf_bytes()))
    response = download_response(
        path, filename="Safeguarding policy.pdf", content_type="application/pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Safeguarding policy.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_download_of_a_missing_file_is_404():
    with pytest.raises(Http404):
        download_response("organisations/policies/none.pdf", filename="x.pdf", content_type="x")


class AttachmentForm(forms.Form):
    file = UploadField(label="Attachment")
    optional = UploadField(label="Optional", required=False, allowed=["pdf"])


def test_upload_field_gives_a_checked_upload_or_a_field_error():
    form = AttachmentForm(data={}, files={"file": upload("budget.xlsx", xlsx_bytes())})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].content_type.endswith("spreadsheetml.sheet")
    assert form.cleaned_data["optional"] is None
    form = AttachmentForm(data={}, files={"file": upload("report.pdf", b"hello")})
    assert not form.is_valid()
    assert form.errors["file"] == [f"{ALL_TYPES} 'report.pdf' is not any of these."]
    assert AttachmentForm(data={}, files={}).errors["file"] == ["Select a file"]


def test_upload_field_hint_and_accept_attribute():
    form = AttachmentForm()
    assert form["file"].help_text == (
        "PDF, Word document (DOCX), Excel spreadsheet (XLSX), OpenDocument text (ODT), "
        "PNG or JPEG, up to 10 MB."
    )
    assert form.fields["optional"].widget.attrs["accept"] == ".pdf"


# Receiving files (issue 7 item 8) -----------------------------------------------------------


class CountingInput:
    """A request body that counts how much of it the server reads."""

    def __init__(self, data: bytes):
        self.data = data
        self.position = 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk

    def readline(self, size=-1):
        return self.read(size)


def _multipart_request(fields: dict, files: dict):
    from django.core.handlers.wsgi import WSGIRequest
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(BOUNDARY, {**fields, **files})
    stream = CountingInput(body)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "CONTENT_TYPE": MULTIPART_CONTENT,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": stream,
            "wsgi.url_scheme": "http",
        }
    )
    return request, stream, len(body)


def test_an_over_size_upload_is_stopped_as_it_arrives_and_leaves_no_file(settings, tmp_path):
    from commissioning.core.uploads import RefusedUpload, uploaded_files

    settings.COMMISSIONING_MAX_UPLOAD_BYTES = 1 * MB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # so the part received goes to disk
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    big = ContentFile(b"%PDF-" + b" " * (30 * MB), name="huge.pdf")
    request, stream, length = _multipart_request({"description": "Big"}, {"file": big})
    assert request.POST["description"] == "Big"  # fields before the file are kept
    assert "file" not in request.FILES
    assert stream.position < 2 * MB < length  # read no further than the limit
    refused = uploaded_files(request)["file"]
    assert isinstance(refused, RefusedUpload)
    assert refused.message.startswith("'huge.pdf' is too large: the largest allowed is 1 MB")
    assert list(tmp_path.iterdir()) == []


def test_a_refused_upload_is_a_form_error(settings):
    from commissioning.core.uploads import uploaded_files

    settings.COMMISSIONING_MAX_UPLOAD_BYTES = 1 * MB
    request, _stream, _length = _multipart_request(
        {}, {"file": ContentFile(b"x" * (2 * MB), name="big.pdf")}
    )

    class Form(forms.Form):
        file = UploadField()

    form = Form({}, uploaded_files(request))
    assert not form.is_valid()
    assert form.errors["file"] == [
        "'big.pdf' is too large: the largest allowed is 1 MB. Make it smaller and upload it again."
    ]


def test_a_file_being_received_has_no_name_on_disk(settings, tmp_path):
    """Even once it is too big for memory, so a killed upload leaves nothing behind."""
    from commissioning.core.uploads import LimitedUploadHandler

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    handler = LimitedUploadHandler()
    handler.new_file("file", "policy.pdf", "application/pdf", None)
    handler.receive_data_chunk(pdf_bytes() + b" " * 100_000, 0)
    assert handler.file._rolled  # written to a temporary file, not kept in memory
    assert list(tmp_path.iterdir()) == []
    handler.upload_interrupted()
    assert handler.file.closed


def test_a_file_within_the_limit_is_received_whole(settings, tmp_path, media):
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    pdf = pdf_bytes()
    content = pdf[:-6] + b" " * 100_000 + pdf[-6:]
    request, stream, length = _multipart_request(
        {}, {"file": ContentFile(content, name="policy.pdf")}
    )
    received = request.FILES["file"]
    assert stream.position == length and received.size == len(content)
    checked = validate_upload(received, allowed=["pdf"])
    path = store_upload(checked, folder="tests")
    assert default_storage.open(path).read() == content
    request.close()
    assert list(temporary.iterdir()) == []
