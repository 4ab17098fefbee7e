"""Browser helpers: staff login through the real form, what the page's CSP blocked, and axe-core
accessibility checks."""

import json
from pathlib import Path

from tests.factories import PASSWORD

AXE_SOURCE = (Path(__file__).resolve().parents[1] / "a11y" / "vendor" / "axe.min.js").read_text()
TIMEOUT = 15_000


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "login failed"


class CSPWatch:
    """Collects what the page's Content-Security-Policy blocked (Chromium logs each refusal)."""

    def __init__(self, page):
        self.blocked: list[str] = []
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.blocked.append(message.text)


def run_axe(page, *, label: str, context: str = "document") -> list[dict]:
    """axe-core on the page as loaded, its CSP enforced: evaluate() runs through the DevTools
    protocol, which the page's policy does not govern. Returns the violations, and prints the
    minor and moderate ones."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(
        """async (context) => {
            const target = context === "document" ? document : context;
            const result = await axe.run(target, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 6).map(n => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            }));
        }""",
        context,
    )
    for violation in violations:
        if violation["impact"] not in ("serious", "critical"):
            print(f"[axe {label}] {violation['impact']}: {violation['id']} – {violation['help']}")
    return violations


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def report(found: dict[str, list[dict]]) -> str:
    return json.dumps(found, indent=1, ensure_ascii=False)
