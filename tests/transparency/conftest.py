from tests.decisions.conftest import (  # noqa: F401 - fixtures shared with the decision tests
    _letters_storage,
    officer,
    round_,
    signatories,
)
