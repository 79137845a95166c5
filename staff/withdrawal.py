"""Withdrawing and restoring a petition or context document: the staff's two writes.

A withdrawn record keeps every row, source and history record; it leaves every public list,
search, count, export, feed, sitemap and suggestion (their querysets start from `public()`), and
its reuse fingerprints are removed so other petitions' pages no longer list it. Restoring brings
it back everywhere. Both acts are saved with `updated_at`, so the archive's version
(`browse.facets.archive_version`) changes and the cached counts follow; both are in the record's
history with who, when and why. What its permanent URL then answers is `petitions.withdrawal`.

May import: the domain apps (`petitions`, `responses`).
"""

from django.db import transaction
from django.utils import timezone

from responses import reuse

RESTORED = "Restored"


def withdraw(record, reason: str, user) -> None:
    """Take a petition or document off the public site, saying why (shown publicly)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a withdrawal needs a public reason")
    _save(record, timezone.now(), reason, f"Withdrawn: {reason}", user)


def restore(record, user) -> None:
    """Bring a withdrawn petition or document back to the public site."""
    _save(record, None, "", RESTORED, user)


def _save(record, when, reason: str, change_reason: str, user) -> None:
    with transaction.atomic():
        record.withdrawn_at, record.withdrawal_reason = when, reason
        record._change_reason, record._history_user = change_reason, user
        record.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
        if record._meta.label == "petitions.Petition":
            reuse.refresh([record.pk])  # removed while withdrawn, computed again when restored
