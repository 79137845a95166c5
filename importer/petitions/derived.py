"""What the archive derives from a petition's text: its search vector, its summary, the reuse fingerprints
of its prayer and responses, and its suggested context documents. Rebuilt by the importer after
each write and by the admin after each edit by hand."""

from documents import similarity
from petitions import search, summary
from responses import reuse


def refresh(petition_id: int) -> None:
    search.reindex([petition_id])
    summary.refresh([petition_id])
    reuse.refresh([petition_id])
    similarity.suggest_for_petition(petition_id)
