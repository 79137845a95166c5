"""Withdrawal: a petition or context document taken off the public site, never deleted.

A withdrawn record keeps every row, source and history record. Its permanent URL answers
410 Gone with the date and the public reason; it leaves every list, search, count, export, feed,
sitemap and suggestion (their querysets start from `public()`), and its reuse fingerprints are
removed so other petitions' pages no longer list it. Restoring brings it back everywhere. Both
acts are saved with `updated_at`, so the archive's version (`facets.archive_version`) changes
and the cached counts follow; both are in the record's history with who, when and why.
"""

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
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


def gone(request, record, name: str):
    """The 410 page at a withdrawn record's permanent URL: what it was, when, and why."""
    context = {"record": record, "name": name, "what": record._meta.verbose_name}
    return render(request, "withdrawn.html", context, status=410)


def gone_json(petition) -> JsonResponse:
    data = {
        "number": petition.number,
        "withdrawn_on": timezone.localdate(petition.withdrawn_at).isoformat(),
        "reason": petition.withdrawal_reason,
    }
    return JsonResponse(data, status=410, json_dumps_params={"ensure_ascii": False, "indent": 2})
