import re

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()


def check_page(page, artifacts, name: str) -> None:
    """Screenshot the page and fail on any axe violation, naming each rule and element."""
    page.screenshot(
        path=str(artifacts / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"), full_page=True
    )
    results = AXE.run(page)
    violations = results.response["violations"]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, f"axe found problems on {name} ({page.url}):\n" + "\n".join(details)
