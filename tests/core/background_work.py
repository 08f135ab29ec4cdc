"""Background work registered for the tests of the job runner."""

from django.utils.translation import gettext_lazy as _

from commissioning.core.jobs import background_job

# How many more times each key's run should fail; tests set it.
FAILURES: dict[str, int] = {}
RUNS: list[str] = []


@background_job(label=_("Test work"))
def flaky(*, key: str) -> None:
    RUNS.append(key)
    if FAILURES.get(key, 0) > 0:
        FAILURES[key] -= 1
        raise RuntimeError(f"{key} is not ready yet")


# What `told` heard of each key's failure for good.
TOLD: dict[str, str] = {}


def tell(*, error: str, key: str) -> None:
    TOLD[key] = error
    if key.startswith("loud"):
        raise ValueError("could not record the failure")


@background_job(label=_("Test work that reports its failure"), on_failure=tell)
def flaky_told(*, key: str) -> None:
    flaky(key=key)
