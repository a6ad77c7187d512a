"""Browser tests: the shared Playwright fixtures (browser, page, phone_page, live_server) come from
esis_shared.testing.browser, enabled once in the root conftest — importing them here again would start a
second Playwright in the same process."""
