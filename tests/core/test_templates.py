"""No HTML page marks text as safe: whatever an office, a pack or a user typed is escaped
(issue 7 item 6). Plain-text templates (letters, e-mails) may turn escaping off."""

import re
from pathlib import Path

import commissioning

SRC = Path(commissioning.__file__).resolve().parent
UNSAFE = re.compile(r"\|\s*safe\b|\|\s*safeseq\b|{%\s*autoescape\s+off")


def test_no_html_template_turns_escaping_off():
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSAFE.search(line)
    ]
    assert found == []


def test_no_python_code_marks_text_safe():
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and re.search(r"\bmark_safe\b|\bSafeString\b", path.read_text(encoding="utf-8"))
    ]
    assert found == []
