"""AP6: supporting documents on a draft, checked by content and size, stored under names nobody
can guess and downloaded only by the organisation's members and the office's staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory

from commissioning.accounts.models import Role
from commissioning.applications.attachments.services import attachment_add, attachment_remove
from commissioning.applications.models import Application, Attachment, Status
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.core.uploads import validate_upload
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import (
    ApplicationFactory,
    ApplicationSubmittedFactory,
    OrganisationFactory,
    RoundFactory,
    member_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.applications.urls")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Files go to a temporary folder, so each test sees only what it stored."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def round_(office):
    return RoundFactory(fund=office.funds.get(code="CF"))


@pytest.fixture
def draft(round_):
    return ApplicationFactory(round=round_, title="Speed watch")


@pytest.fixture
def member(draft):
    return member_of(draft.organisation)


def pdf(name="quote.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add_url(application) -> str:
    return f"/applications/{application.public_id}/attachments/add/"


def multipart(description: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A request body built by hand, so the file name reaches the server exactly as given
    (Django's test client would strip a path from it first)."""
    boundary = "----boundary7MA4YWxkTrZu0gW"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="description"\r\n\r\n'
            f"{description}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_the_applicant_adds_a_document_and_sees_its_name_type_and_size(
    client, draft, member, storage
):
    sign_in(client, member)
    page = client.get(add_url(draft))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    done = client.post(add_url(draft), {"description": "Quote for radios", "file": pdf()})
    assert done.status_code == 302
    assert done["Location"] == f"/applications/{draft.public_id}/attachments/"
    attachment = draft.attachments.get()
    assert attachment.filename == "quote.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.path.startswith("applications/attachments/")
    assert "quote" not in attachment.path  # nothing the user typed names the stored file
    assert [p.read_bytes() for p in stored_files(storage)] == [PDF]
    assert AuditEvent.objects.filter(verb="attachment.added", actor=member).exists()
    request = RequestFactory().get("/")
    request.user = member
    panel = render_to_string(
        "applications/_attachments_panel.html",
        {"application": draft, "staff": False},
        request=request,
    )
    assert "Quote for radios" in panel and "quote.pdf" in panel
    assert "PDF" in panel and f"{len(PDF)}" in panel
    assert f"/applications/{draft.public_id}/attachments/{attachment.public_id}/" in panel


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        pytest.param(
            "budget.pdf", b"MZ\x90\x00 an executable", "must be a PDF", id="exe-named-pdf"
        ),
        pytest.param("notes.pdf", b"just some text", "must be a PDF", id="text-named-pdf"),
        pytest.param("scan.pdf", b"%PDF-1.4 cut short", "damaged", id="truncated-pdf"),
        pytest.param("empty.pdf", b"", "empty", id="empty"),
    ],
)
def test_wrong_content_is_refused_with_an_error_summary_and_nothing_stored(
    client, draft, member, storage, filename, content, message
):
    sign_in(client, member)
    page = client.post(
        add_url(draft),
        {"description": "Budget", "file": SimpleUploadedFile(filename, content, "application/pdf")},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-error-summary" in text and 'href="#id_file"' in text
    assert message in text
    assert "govuk-file-upload--error" in text
    assert not Attachment.objects.exists()
    assert stored_files(storage) == []


def test_a_file_over_10_mb_is_refused(client, draft, member, storage):
    sign_in(client, member)
    big = PDF[:-6] + b" " * (10 * MB + 1 - len(PDF)) + b"%%EOF\n"
    assert len(big) == 10 * MB + 1
    page = client.post(add_url(draft), {"description": "Big", "file": pdf("big.pdf", big)})
    text = page.content.decode()
    assert "govuk-error-summary" in text and "the largest allowed is 10 MB" in text
    assert not Attachment.objects.exists() and stored_files(storage) == []
    exactly = PDF[:-6] + b" " * (10 * MB - len(PDF)) + b"%%EOF\n"
    client.post(add_url(draft), {"description": "Exactly 10 MB", "file": pdf("ok.pdf", exactly)})
    assert draft.attachments.get().size == 10 * MB


def test_a_path_in_the_name_is_never_used(client, draft, member, storage):
    sign_in(client, member)
    body, content_type = multipart("Quote", "../../../etc/passwd.pdf", PDF)
    assert client.post(add_url(draft), body, content_type=content_type).status_code == 302
    attachment = draft.attachments.get()
    assert attachment.filename == "passwd.pdf"
    assert ".." not in attachment.path and "etc" not in attachment.path
    assert all(storage in p.parents for p in stored_files(storage))
    # And where a name gets past the browser's own clean-up, the upload check cleans it too.
    checked = validate_upload(pdf("..\\..\\windows\\system.ini.pdf"))
    assert checked.name == "system-ini.pdf"


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        pytest.param("../../evil.pdf", b"#!/bin/sh\nrm -rf /\n", "must be a PDF", id="path-script"),
        pytest.param("C:\\Users\\me\\..\\x.pdf", b"not a pdf", "must be a PDF", id="windows-path"),
        pytest.param("../", PDF, "Select a file", id="only-a-path"),
    ],
)
def test_a_path_in_the_name_with_bad_content_stores_nothing(
    client, draft, member, storage, filename, content, message
):
    sign_in(client, member)
    body, content_type = multipart("Quote", filename, content)
    page = client.post(add_url(draft), body, content_type=content_type)
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-error-summary" in text and message in text
    assert ".." not in text.split("govuk-error-summary", 1)[1].split("</div>", 1)[0]
    assert not Attachment.objects.exists() and stored_files(storage) == []


def test_a_description_is_needed(client, draft, member, storage):
    sign_in(client, member)
    page = client.post(add_url(draft), {"description": "", "file": pdf()})
    assert "Enter what the document is" in page.content.decode()
    assert not Attachment.objects.exists() and stored_files(storage) == []


def test_removing_deletes_the_record_and_the_file(client, draft, member, storage):
    sign_in(client, member)
    client.post(add_url(draft), {"description": "Quote", "file": pdf()})
    attachment = draft.attachments.get()
    url = f"/applications/{draft.public_id}/attachments/{attachment.public_id}/remove/"
    assert "Remove quote.pdf?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.filter(verb="attachment.removed").exists()


def test_the_same_file_twice_is_stored_once_and_kept_while_used(
    draft, member, storage, django_capture_on_commit_callbacks
):
    first = attachment_add(
        application=draft, actor=member, description="One", upload=validate_upload(pdf())
    )
    second = attachment_add(
        application=draft, actor=member, description="Two", upload=validate_upload(pdf("b.pdf"))
    )
    assert first.path == second.path and len(stored_files(storage)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=first, actor=member)
    assert len(stored_files(storage)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=second, actor=member)
    assert stored_files(storage) == []


def test_documents_cannot_change_after_submission(round_, storage):
    submitted = ApplicationSubmittedFactory(round=round_)
    member = member_of(submitted.organisation)
    with pytest.raises(DomainError, match="submitted"):
        attachment_add(
            application=submitted, actor=member, description="Late", upload=validate_upload(pdf())
        )
    assert stored_files(storage) == []


# Who may download.


@pytest.fixture
def submitted_with_file(round_, storage):
    application = ApplicationFactory(round=round_, title="Speed watch")
    member = member_of(application.organisation)
    attachment = attachment_add(
        application=application,
        actor=member,
        description="Quote",
        upload=validate_upload(pdf()),
    )
    Application.objects.filter(pk=application.pk).update(
        status=Status.SUBMITTED, reference="TST-CF-2026-0099"
    )
    application.refresh_from_db()
    return application, attachment, member


def test_members_and_office_staff_download(client, office, submitted_with_file):
    application, attachment, member = submitted_with_file
    sign_in(client, member)
    mine = client.get(f"/applications/{application.public_id}/attachments/{attachment.public_id}/")
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF
    assert mine["Content-Disposition"].startswith('attachment; filename="quote.pdf"')
    assert mine["X-Content-Type-Options"] == "nosniff"
    sign_in(client, staff_user(office, Role.AUDITOR))
    url = (
        f"/staff/{office.slug}/applications/{application.reference}"
        f"/attachments/{attachment.public_id}/"
    )
    staff = client.get(url)
    assert staff.status_code == 200 and b"".join(staff.streaming_content) == PDF


def test_everyone_else_gets_404(client, office, other_office, submitted_with_file):
    application, attachment, _member = submitted_with_file
    applicant_url = f"/applications/{application.public_id}/attachments/{attachment.public_id}/"
    staff_url = (
        f"/staff/{office.slug}/applications/{application.reference}"
        f"/attachments/{attachment.public_id}/"
    )
    other_office_url = staff_url.replace(office.slug, other_office.slug)
    assert client.get(applicant_url).status_code == 302  # to sign in
    outsiders = [
        member_of(OrganisationFactory()),
        staff_user(other_office, Role.OFFICE_ADMIN),
        staff_user(office, Role.PANEL_MEMBER),
    ]
    for outsider in outsiders:
        sign_in(client, outsider)
        for url in [applicant_url, staff_url, other_office_url]:
            assert client.get(url).status_code == 404, (outsider, url)
    sign_in(client, staff_user(office))
    assert client.get(applicant_url).status_code == 404  # staff use the staff address
    wrong_id = staff_url.replace(attachment.public_id, "nosuchfile00")
    assert client.get(wrong_id).status_code == 404


def test_other_organisations_cannot_add_or_remove(client, draft, member, storage):
    attachment = attachment_add(
        application=draft, actor=member, description="Quote", upload=validate_upload(pdf())
    )
    sign_in(client, member_of(OrganisationFactory()))
    assert client.get(add_url(draft)).status_code == 404
    assert client.post(add_url(draft), {"description": "x", "file": pdf()}).status_code == 404
    remove = f"/applications/{draft.public_id}/attachments/{attachment.public_id}/remove/"
    assert client.post(remove).status_code == 404
    assert draft.attachments.count() == 1


def test_api_lists_documents_for_members_and_office_staff(
    client, office, other_office, submitted_with_file
):
    application, attachment, member = submitted_with_file
    applicant_url = f"/api/v1/applications/{application.public_id}/attachments"
    staff_url = f"/api/v1/offices/{office.slug}/applications/{application.reference}/attachments"
    sign_in(client, member)
    [row] = client.get(applicant_url).json()
    download = f"/applications/{application.public_id}/attachments/{attachment.public_id}/"
    assert row == {
        "id": attachment.public_id,
        "description": "Quote",
        "filename": "quote.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "added_at": row["added_at"],
        "download_url": download,
    }
    sign_in(client, staff_user(office))
    assert client.get(staff_url).json()[0]["download_url"].startswith(f"/staff/{office.slug}/")
    sign_in(client, member_of(OrganisationFactory()))
    assert client.get(applicant_url).status_code == 404
    sign_in(client, staff_user(other_office))
    assert client.get(staff_url).status_code == 404
    assert client.get(applicant_url).status_code == 404
