"""Choose every document's terms again and recompute its suggested petitions."""

from django.core.management.base import BaseCommand
from django.db import transaction

from documents import similarity


class Command(BaseCommand):
    help = (
        "Recompute the petitions suggested for every document (after a bulk load of petitions, "
        "say). Imports keep suggestions current by themselves."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            documents, suggestions = similarity.refresh_all()
        self.stdout.write(f"{documents} document(s), {suggestions} suggestion(s)")
