"""Fixtures of the end-to-end tests: one Chromium (Playwright) for the whole session.

Defined here once, not imported into each module: Playwright's sync API runs one event loop in the
main thread, so a second browser started while the first is alive would be refused.
"""

from __future__ import annotations

from tests.e2e.browser import chromium
from tests.e2e.test_web_app import account, server  # a real server over the test's store, the sample in it

__all__ = ["account", "chromium", "server"]
