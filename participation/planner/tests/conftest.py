import pytest

from conftest import fresh, snapshot_rows_write


@pytest.fixture(scope="module")
def module_toolbox_demo(module_transaction):
    """The home pages and the demo method and phase sheets (with the attributes the planner ranks), copied into the
    module's transaction from the run's `sheets` snapshot (tests/snapshots.py) instead of loading them again."""
    from participation.core.models import HomePage

    snapshot_rows_write("sheets")
    return {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}


@pytest.fixture
def toolbox_demo_content(module_toolbox_demo, db):
    return fresh(module_toolbox_demo)
