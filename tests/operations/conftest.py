import pytest

from tests.operations import servers


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, django_db_setup):
    """Two gunicorn app servers on the one test database, like two machines behind a load
    balancer: nothing is shared between them but PostgreSQL."""
    started = servers.start(tmp_path_factory.mktemp("servers"), 2)
    yield started
    for server in started:
        server.stop()
