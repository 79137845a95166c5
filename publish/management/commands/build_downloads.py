"""Build the whole archive's ready downloads (publish/downloads.py) now."""

from django.core.management.base import BaseCommand

from publish import downloads


class Command(BaseCommand):
    help = "Write the whole archive as gzipped CSV and JSON Lines, English and French."

    def handle(self, *args, **options):
        info = downloads.build()
        for name, size in info["sizes"].items():
            self.stdout.write(f"{downloads.directory() / name}: {size:,} bytes")
        self.stdout.write(f"Archive version {info['version']}, built {info['built_at']}")
