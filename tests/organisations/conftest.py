import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a fresh folder for each test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return tmp_path / "media"
