from tests.awards.payments.conftest import finance  # noqa: F401 - the fixture
