"""Django's static files app, configured (in its own module: a second application configuration in `apps.py` would
keep Django from choosing `CoreConfig` for the core app by itself)."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFilesWithoutUnusedBuilds(StaticFilesConfig):
    """Django's static files, without the builds of the npm packages that no page loads: Leaflet's and its
    clustering plugin's unminified (`-src`) and ES module (`.esm`) builds, with their source maps, are three quarters
    of their `dist` folders. Collecting them cost a third of `collectstatic`'s time (compressing them with Brotli),
    and published files nobody asks for. The minified builds keep their source maps (their last line names them)."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "*-src.js", "*-src.js.map", "*.esm.js", "*.esm.js.map"]
