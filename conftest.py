import pytest


@pytest.fixture
def site_homes(db):
    """The French, Dutch and English home pages, set up as `load_demo_content` does, without the demo texts."""
    from participation.core.services import site_homes_ensure

    return site_homes_ensure(
        fields_by_language={
            code: {
                "title": f"Home {code}",
                "intro": f"<p>Intro {code}</p>",
                "entry_points_heading": f"Start {code}",
                "featured_heading": f"Featured {code}",
            }
            for code in ("fr", "nl", "en")
        }
    )


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: nothing may be skipped for lack of PostgreSQL, Chromium or anything else."""
    import os

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        reporter.write_line(f"CI: {len(reporter.stats['skipped'])} skipped test(s) count as failures.", red=True)
        session.exitstatus = 1
