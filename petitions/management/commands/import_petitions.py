"""Import pages (text or HTML) from files and folders: petitions, news articles, briefing notes."""

import getpass
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from petitions.importer.data import PageError
from petitions.importer.pages import import_any

PAGE_SUFFIXES = {".txt", ".html", ".htm"}


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


class Command(BaseCommand):
    help = (
        "Import petition pages, news articles and briefing notes. Each file is all-or-nothing; "
        "re-importing changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders of .txt/.html pages")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, write nothing"
        )

    def handle(self, *args, paths, dry_run, **options):
        counts = Counter({"created": 0, "updated": 0, "unchanged": 0, "failed": 0})
        user = f"command:{getpass.getuser()}"
        for path in page_files(paths):
            try:
                outcome = import_any(path.read_bytes(), str(path), user, dry_run=dry_run)
            except PageError as error:
                counts["failed"] += 1
                self.stderr.write(f"{path}: {error}")
                continue
            except OSError as error:
                counts["failed"] += 1
                self.stderr.write(f"{path}: cannot be read: {error.strerror}")
                continue
            counts[outcome.action] += 1
            detail = f" ({', '.join(outcome.changes)})" if outcome.action == "updated" else ""
            self.stdout.write(f"{path}: {outcome.label} {outcome.action}{detail}")
        prefix = "dry run, nothing written: " if dry_run else ""
        summary = ", ".join(
            f"{counts[k]} {k}" for k in ("created", "updated", "unchanged", "failed")
        )
        self.stdout.write(prefix + summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) failed")
