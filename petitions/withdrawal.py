"""What a withdrawn petition's or context document's permanent URL answers: 410 Gone, with the
date and the public reason, as a page or as JSON. The writes are `staff.withdrawal`."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone


def gone(request, record, name: str):
    """The 410 page at a withdrawn record's permanent URL: what it was, when, and why."""
    context = {"record": record, "name": name, "what": record._meta.model_name}
    return render(request, "withdrawn.html", context, status=410)


def gone_json(record, **named) -> JsonResponse:
    """The 410 JSON of a withdrawn record, named by `named` (a petition: by its number)."""
    data = {
        **(named or {"number": record.number}),
        "withdrawn_on": timezone.localdate(record.withdrawn_at).isoformat(),
        "reason": record.withdrawal_reason,
    }
    return JsonResponse(data, status=410, json_dumps_params={"ensure_ascii": False, "indent": 2})
