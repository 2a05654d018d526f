"""What journeys share: signing in, the axe-core check every visited page gets, keyboard focus checks."""
from __future__ import annotations

from urllib.parse import urldefrag

import pytest
from axe_playwright_python.sync_playwright import Axe

DEMO_PASSWORD = "demo-password"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what public-sector bodies must meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()  # axe-core as shipped inside axe-playwright-python


class VisitLog:
    """Every document a page loads, the ones checked with axe (compared when the test ends), and
    what the browser refused or failed to run: CSP violations and uncaught script errors."""

    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        self.script_problems: list[str] = []

    def on_load(self, page) -> None:
        self.loaded.append(_without_fragment(page.url))

    def on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.script_problems.append(f"CSP violation: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error) -> None:
        self.script_problems.append(f"uncaught script error: {error}")

    def unchecked(self) -> list[str]:
        return [url for url in dict.fromkeys(self.loaded) if url not in self.checked]


def _without_fragment(url: str) -> str:
    return urldefrag(url)[0]


def visit_log(page) -> VisitLog:
    log = getattr(page, "_lnd_visits", None)
    if log is None:
        log = VisitLog()
        page._lnd_visits = log
        page.on("load", log.on_load)
        page.on("console", log.on_console)
        page.on("pageerror", log.on_page_error)
    return log


def format_violations(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): {violation['help']}"
                     f" [{violation.get('helpUrl', '')}]")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    element {target}: {node.get('html', '').strip()[:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def check_accessibility(page) -> None:
    """Run axe-core's WCAG 2.2 A/AA rules on the page as it is now; fail listing every violation."""
    page.wait_for_load_state("load")
    url = page.url
    results = _axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    })
    visit_log(page).checked.add(_without_fragment(url))
    violations = results.response["violations"]
    if violations:
        pytest.fail(format_violations(violations, url), pytrace=False)


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """From wherever the page is: open the sign-in page (checked), sign in, check the page that follows."""
    page.goto("/login")
    check_accessibility(page)
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    check_accessibility(page)


def sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    check_accessibility(page)


FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type') || '',
    name: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 80),
    href: el.getAttribute('href') || '',
    outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor,
    boxShadow: s.boxShadow, backgroundColor: s.backgroundColor,
  };
}"""

TRANSPARENT = {"transparent", "rgba(0, 0, 0, 0)"}


def focused(page) -> dict | None:
    """What has keyboard focus, with the computed styles that make focus visible."""
    return page.evaluate(FOCUS_STYLE_JS)


def focus_is_visible(style: dict) -> bool:
    """GOV.UK Frontend shows focus with a yellow outline or a box-shadow underline; one must be drawn."""
    outline = (style["outlineStyle"] != "none" and style["outlineWidth"] not in ("0px", "")
               and style["outlineColor"] not in TRANSPARENT)
    return outline or style["boxShadow"] not in ("none", "")


def assert_focus_visible(page) -> dict:
    style = focused(page)
    assert style is not None, f"nothing has keyboard focus on {page.url}"
    assert focus_is_visible(style), f"keyboard focus is not visible on {page.url}: {style}"
    return style


def tab_to(page, matches, *, limit: int = 60, backwards: bool = False) -> dict:
    """Press Tab until `matches(focused element)` is true, checking focus is visible at every stop."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        style = focused(page)
        if style is None:
            seen.append("(nothing)")
            continue
        assert focus_is_visible(style), f"keyboard focus is not visible on {page.url}: {style}"
        seen.append(f"{style['tag']}#{style['id']} {style['name']!r}")
        if matches(style):
            return style
    raise AssertionError(f"Tab never reached the element on {page.url}; stops were: {seen}")


def by_name(text: str):
    return lambda style: style["name"] == text


def by_id(element_id: str):
    return lambda style: style["id"] == element_id
