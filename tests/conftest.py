from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("00[0-2]_*.txt"))
DOCUMENT_SEEDS = sorted((FIXTURES / "seeds").glob("00[3-4]_*.txt"))  # news article, briefing note
SAMPLES = sorted((FIXTURES / "samples").glob("*.txt"))
PETITION_PAGES = SEEDS + SAMPLES


def run_import(*paths, fails: bool = False, **options) -> str:
    """Run the real import command; return what it printed. `fails`: it must exit non-zero."""
    out = StringIO()
    try:
        call_command("import_petitions", *map(str, paths), stdout=out, stderr=out, **options)
    except CommandError as error:
        failure = str(error)
    else:
        failure = ""
    assert bool(failure) == fails, f"exit status not as expected: {failure}\n{out.getvalue()}"
    return out.getvalue() + failure


@pytest.fixture
def imported(db):
    """The archive with every petition seed and sample imported through the real command."""
    return run_import(*PETITION_PAGES)


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a freshly started server does."""
    from django.core.cache import cache

    cache.clear()
