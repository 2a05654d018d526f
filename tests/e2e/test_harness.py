"""The checks the journeys rely on do catch what they are for (a harness that never fails proves nothing)."""
from __future__ import annotations

import pytest

from tests.e2e.helpers import check_accessibility, focus_is_visible, focused, visit_log

pytestmark = pytest.mark.e2e

BROKEN_PAGE = """<!DOCTYPE html><html><head><title>Broken</title></head><body>
<main><h1>Broken</h1><img src="/nothing.png"><a href="/somewhere"></a>
<p style="color:#bbb;background:#fff">Pale text</p></main></body></html>"""


def test_axe_failure_names_the_rule_the_element_and_the_page(bare_page):
    page = bare_page
    page.set_content(BROKEN_PAGE)
    with pytest.raises(pytest.fail.Exception) as failure:
        check_accessibility(page)
    message = str(failure.value)
    for expected in ("image-alt", "html-has-lang", "link-name", "color-contrast", "<img", "about:blank"):
        assert expected in message, f"{expected!r} missing from:\n{message}"


def test_focus_check_tells_visible_focus_from_hidden_focus(bare_page):
    page = bare_page
    page.set_content("""<!DOCTYPE html><html lang="en"><head><title>Focus</title><style>
      #hidden:focus { outline: none; box-shadow: none; }
      #shown:focus { outline: 3px solid #fd0; }
    </style></head><body><a id="hidden" href="#a">Hidden</a> <a id="shown" href="#b">Shown</a></body></html>""")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "hidden" and not focus_is_visible(focused(page))
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "shown" and focus_is_visible(focused(page))
    check_accessibility(page)


def test_a_script_the_content_security_policy_blocks_is_reported(bare_page):
    page = bare_page
    page.route("http://lnd.test/csp-probe", lambda route: route.fulfill(
        status=200, content_type="text/html",
        headers={"Content-Security-Policy": "script-src 'self'"},
        body='<!DOCTYPE html><html lang="en"><head><title>Probe</title></head>'
             '<body><main><h1>Probe</h1><script>document.title = "ran"</script></main></body></html>'))
    page.goto("http://lnd.test/csp-probe")
    check_accessibility(page)
    visits = visit_log(page)
    assert page.title() == "Probe"
    assert any("CSP violation" in problem for problem in visits.script_problems), visits.script_problems
    visits.script_problems.clear()   # expected here; any other test would fail on it
