import pytest

from conftest import fresh, snapshot_rows_write


@pytest.fixture(scope="module")
def module_toolbox_demo(module_transaction):
    """The demo content without its initiatives, copied into the module's transaction from the run's `demo` snapshot
    (tests/snapshots.py): the toolbox's method and phase sheets with the attributes the planner ranks, and nothing
    that adds Brussels experience to them (a test that needs some adds its own initiatives)."""
    from participation.core.models import HomePage
    from participation.initiatives.models import Initiative

    snapshot_rows_write("demo")
    Initiative.objects.all().delete()
    return {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}


@pytest.fixture
def toolbox_demo_content(module_toolbox_demo, db):
    return fresh(module_toolbox_demo)
