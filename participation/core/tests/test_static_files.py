"""Static files as production serves them: collected, compressed and named after their content. Needs no test
database: the module runs first in a parallel run, beside test_processes.py, while the run's snapshots are built."""

import subprocess
import sys

import pytest

from conftest import process_env
from participation.core.tests.test_processes import PRODUCTION_KEY, ROOT

pytestmark = pytest.mark.no_database


@pytest.mark.slow
def test_static_files_are_compressed_and_cache_busted(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=process_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY=PRODUCTION_KEY,
            STATIC_ROOT=str(tmp_path),
        ),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    hashed = [p.name for p in (tmp_path / "css").glob("main.*.css")]
    assert len(hashed) == 1, hashed
    assert (tmp_path / "css" / f"{hashed[0]}.gz").exists()
    assert (tmp_path / "css" / f"{hashed[0]}.br").exists()
    # Of the npm packages, only the builds the pages load (and their source maps) are published.
    leaflet = {p.name for p in (tmp_path / "vendor" / "leaflet").iterdir()}
    assert {"leaflet.js", "leaflet.js.map", "leaflet.css"} <= leaflet
    assert not [name for name in leaflet if "-src" in name or ".esm" in name]
    assert not (tmp_path / "admin").exists()  # Django's own admin is not installed: editors use Wagtail's
