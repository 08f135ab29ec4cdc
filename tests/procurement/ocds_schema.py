"""Validation against the published OCDS 1.1.5 release package schema (JSON Schema draft 4),
read from the standards folder beside the repository; the release schema it refers to by URL
is resolved to the local copy."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.conftest import ROOT


def _standards() -> Path | None:
    for parent in ROOT.parents:
        folder = parent / "shared" / "standards" / "ocds"
        if folder.is_dir():
            return folder
    return None


def ocds_validator() -> Draft4Validator:
    folder = _standards()
    if folder is None:
        pytest.skip("The OCDS schemas are not beside the repository.")
    package = json.loads((folder / "release-package-schema.json").read_text())
    release = json.loads((folder / "release-schema.json").read_text())
    registry = Registry().with_resources(
        [
            (package["id"], Resource.from_contents(package, default_specification=DRAFT4)),
            (release["id"], Resource.from_contents(release, default_specification=DRAFT4)),
        ]
    )
    return Draft4Validator(
        package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def ocds_problems(package: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in ocds_validator().iter_errors(package)
    ]
