"""What the archive derives from a petition's text, rebuilt after an edit by hand in the admin.

The importer rebuilds the same after each import: the search vector, the reuse fingerprints of
its prayer and responses, and its suggested context documents.
"""

from documents import similarity
from petitions import search
from responses import reuse


def refresh(petition_id: int) -> None:
    search.reindex([petition_id])
    reuse.refresh([petition_id])
    similarity.suggest_for_petition(petition_id)
