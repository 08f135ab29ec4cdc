"""Where a higher app makes itself heard by a lower one.

Imports point down the layers only (ARCHITECTURE.md, "Layers"). When a lower app must hear from
a higher one (demo data to seed, a panel on the staff home, a section of an application's staff
page), the higher app registers an entry here in its `AppConfig.ready()` and the lower app reads
the entries, in layer order: the order of INSTALLED_APPS, which lists the apps by layer.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


class Registry:
    """Entries that apps contribute, read in layer order."""

    def __init__(self, purpose: str):
        self.purpose = purpose
        self._entries: dict[str, list] = {}

    def register(self, app_label: str, entry) -> None:
        """Add an app's entry; registering the same entry again changes nothing."""
        entries = self._entries.setdefault(app_label, [])
        if entry not in entries:
            entries.append(entry)

    def __iter__(self) -> Iterator:
        layer = {config.label: index for index, config in enumerate(apps.get_app_configs())}
        for label in sorted(self._entries, key=lambda label: layer.get(label, len(layer))):
            yield from self._entries[label]

    def __repr__(self) -> str:
        return f"<Registry: {self.purpose}>"


class Answer:
    """A question lower apps ask and one higher app answers."""

    def __init__(self, question: str):
        self.question = question
        self._answer: Callable | None = None

    def provide(self, answer: Callable) -> None:
        self._answer = answer

    def __call__(self, *args, **kwargs):
        if self._answer is None:
            raise ImproperlyConfigured(f"No installed app answers: {self.question}")
        return self._answer(*args, **kwargs)


@dataclass
class DemoRun:
    """What one run of `seed_demo` has made so far: the sign-ins it prints at the end, and
    anything the apps' steps share with the steps after them (`seed_demo` runs them in layer
    order)."""

    sign_ins: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Steps of the demo data: `step(run: DemoRun) -> None`, idempotent, each app its own.
demo_steps = Registry("demo data")

# Templates included in each office's section of the staff home (accounts); the context has
# `home`, the office's OfficeHome (its office, the user's roles there).
staff_home_panels = Registry("panels on the staff home")

# Templates included on an application's staff page (applications), after its own sections;
# the context has `application` and `office`.
application_page_sections = Registry("sections of an application's staff page")

# Templates included on an organisation's own page (organisations), after its details; the
# context has `organisation`.
organisation_page_sections = Registry("sections of an organisation's page")

# `tie(organisation, office) -> bool`: whether an organisation has dealings with an office (it
# has applied to it, ...), so that the office's staff may see the organisation's records.
organisation_ties = Registry("ties between an organisation and an office")

# `link(user, record, office) -> str | None`: the address of a record's history page if the user
# may read it there, else None (transparency registers it). The `history_link` template tag
# (core/templatetags/record_links.py) asks each in turn and shows the first address given.
record_history_links = Registry("links from a record's staff page to its history")

# `answer(user) -> set[int]`: the ids of the offices the user administers (accounts answers it),
# for the admin pages of the apps below accounts.
administered_office_ids = Answer("which offices does this user administer?")

# `answer(user) -> bool`: whether the user holds a staff role in any office (accounts answers
# it), for the demo outbox that only this machine and signed-in staff may read.
is_office_staff = Answer("is this user staff of an office?")
