"""Browser tests of identity's pages: the shared Playwright fixtures (esis_shared.testing.browser).

Imported rather than listed in ``pytest_plugins``: pytest refuses ``pytest_plugins`` in a conftest below
the rootdir whenever this folder is not itself on the command line.
"""

from esis_shared.testing.browser import (  # noqa: F401 - fixtures and the report hook, registered by name
    browser,
    page,
    page_factory,
    phone_page,
    playwright_instance,
    pytest_runtest_makereport,
)
