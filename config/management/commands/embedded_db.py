"""Stop the embedded PostgreSQL server (it starts by itself when DATABASE_URL is unset)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config import embedded_db
from config.settings import env


class Command(BaseCommand):
    help = "Stop the embedded PostgreSQL server in .pgdata/."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["stop"])

    def handle(self, *args, action, **options):
        if env("DATABASE_URL"):
            raise CommandError("DATABASE_URL is set: there is no embedded server to stop.")
        if embedded_db.stop(settings.BASE_DIR / ".pgdata"):
            self.stdout.write("embedded PostgreSQL stopped")
        else:
            self.stdout.write("embedded PostgreSQL was not running")
