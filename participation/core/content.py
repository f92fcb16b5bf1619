"""Reading the demo content (YAML files under each app's `content/`): one reader for every domain and the tests."""

from pathlib import Path
from typing import Any

import yaml

# libyaml's parser is about ten times faster than the pure-Python one (PyYAML's wheels ship it).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def content_read(path: Path) -> Any:
    """The data of one YAML file, read safely (no Python objects)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
