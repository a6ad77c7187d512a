"""Browser tests of stats' pages: the shared Playwright fixtures (esis_shared.testing.browser)."""

from esis_shared.testing.browser import (  # noqa: F401 - fixtures and the report hook, registered by name
    browser,
    page,
    page_factory,
    phone_page,
    playwright_instance,
    pytest_runtest_makereport,
)
