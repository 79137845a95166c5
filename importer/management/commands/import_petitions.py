"""Import pages (text or HTML) from files and folders: petitions, news articles, briefing notes."""

import getpass
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from importer.pages import import_any
from importer.petitions.data import PageError
from importer.petitions.removals import RemovalRefused

PAGE_SUFFIXES = {".txt", ".html", ".htm"}
web_address = URLValidator(schemes=["http", "https"])


def page_files(paths: list[str]) -> list[Path]:
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES)
        elif path.exists():
            files.append(path)
        else:
            raise CommandError(f"{name}: no such file or folder")
    return files


def checked_source_url(url: str | None, paths: list[str]) -> str | None:
    """The one page's web address, refused when it is not one, or when there are several pages."""
    if url is None:
        return None
    if len(paths) != 1 or Path(paths[0]).is_dir():
        raise CommandError(
            "--source-url names where one page came from: give a single file, not "
            f"{'a folder' if len(paths) == 1 else f'{len(paths)} files or folders'}"
        )
    try:
        web_address(url)
    except ValidationError:
        raise CommandError(
            f"--source-url {url!r} is not a web address starting with http:// or https://"
        ) from None
    return url


class Command(BaseCommand):
    help = (
        "Import petition pages, news articles and briefing notes. Each file is all-or-nothing; "
        "re-importing changes nothing; a page that would remove part of a stored petition is "
        "refused unless --allow-removals."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders of .txt/.html pages")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, write nothing"
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="import pages that would remove part of a stored petition (a presentation, "
            "a sponsor, a response, a grievance…); the history says removals were allowed",
        )
        parser.add_argument(
            "--source-url",
            metavar="URL",
            help="the web address the (single) page came from, kept as its source",
        )

    def handle(self, *args, paths, dry_run, allow_removals, source_url, **options):
        source_url = checked_source_url(source_url, paths)
        counts = Counter({"created": 0, "updated": 0, "unchanged": 0, "failed": 0})
        user = f"command:{getpass.getuser()}"
        for path in page_files(paths):
            try:
                outcome = import_any(
                    path.read_bytes(),
                    source_url or str(path),
                    user,
                    dry_run=dry_run,
                    allow_removals=allow_removals,
                )
            except RemovalRefused as error:
                counts["failed"] += 1
                self.stderr.write(
                    f"{path}: {error}; nothing was written (--allow-removals imports it anyway)"
                )
                continue
            except PageError as error:
                counts["failed"] += 1
                self.stderr.write(f"{path}: {error}")
                continue
            except OSError as error:
                counts["failed"] += 1
                self.stderr.write(f"{path}: cannot be read: {error.strerror}")
                continue
            counts[outcome.action] += 1
            self.stdout.write(f"{path}: {outcome.label} {outcome.action}{detail(outcome, dry_run)}")
        prefix = "dry run, nothing written: " if dry_run else ""
        summary = ", ".join(
            f"{counts[k]} {k}" for k in ("created", "updated", "unchanged", "failed")
        )
        self.stdout.write(prefix + summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) failed")


def detail(outcome, dry_run: bool) -> str:
    """What an update changed, and what it removed (only with --allow-removals)."""
    if outcome.action != "updated":
        return ""
    verb = "would remove" if dry_run else "removed"
    removed = f"; {verb}: {', '.join(outcome.removals)}" if outcome.removals else ""
    return f" ({', '.join(outcome.changes)}){removed}"
