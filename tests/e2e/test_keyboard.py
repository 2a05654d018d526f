"""The booking-free pages reached with the keyboard alone: Tab, Shift+Tab, Enter and typing.

Every element Tab stops on must show where focus is (WCAG 2.4.7 and 2.4.11); `tab_to` checks the
computed outline/box-shadow at each stop.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    DEMO_PASSWORD, assert_focus_visible, by_id, by_name, check_accessibility, focused, tab_to,
)

pytestmark = pytest.mark.e2e


def _enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_accessibility(page)


def test_sign_in_browse_and_sign_out_with_the_keyboard_alone(page):
    page.goto("/login")
    check_accessibility(page)

    # The first Tab reaches the skip link, which takes focus past the header to the main content.
    skip = tab_to(page, by_name("Skip to main content"), limit=1)
    assert skip["href"] == "#main-content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login#main-content$"))
    assert focused(page)["id"] == "main-content", "the skip link did not move focus to the main content"

    tab_to(page, by_id("email"))
    page.keyboard.type("new.starter@example.org")
    tab_to(page, by_id("password"))
    page.keyboard.type(DEMO_PASSWORD)
    tab_to(page, by_name("Sign in"))
    _enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Noah")

    # Navigation links: the offer, and back home.
    tab_to(page, by_name("The offer"))
    _enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/offer$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    tab_to(page, by_name("Home"))
    _enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/$"))

    # A course from the induction list.
    tab_to(page, by_name("LCS/EHM Training"))
    _enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/courses/lcs-ehm-training$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("LCS/EHM Training")

    # Shift+Tab walks back up to the header's Sign out button.
    tab_to(page, by_name("Sign out"), backwards=True)
    assert_focus_visible(page)
    _enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
