import io

import pytest

from conftest import fresh
from participation.toolbox import demo as toolbox_demo


@pytest.fixture(scope="module")
def module_toolbox_demo(module_homes):
    """The toolbox's demo method and phase sheets in FR, NL and EN, with the attributes the planner ranks."""
    toolbox_demo.load(stdout=io.StringIO(), kinds=("method", "phase"))
    return module_homes


@pytest.fixture
def toolbox_demo_content(module_toolbox_demo, db):
    return fresh(module_toolbox_demo)
