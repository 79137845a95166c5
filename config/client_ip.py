"""The visitor's address, as the login lockout (django-axes) and the rate limits count it.

`REMOTE_ADDR` is the address that connected. Only when it is one of `ARCHIVE_TRUSTED_PROXIES`
(the load balancer or reverse proxy in front of the app servers) is `X-Forwarded-For` read: its
addresses are taken from the right (the ones the trusted proxies appended), skipping trusted
proxies, and the first other one is the visitor. A header sent by anyone else is ignored, so a
visitor cannot pick the address it is counted under.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.ARCHIVE_TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for address in reversed([a.strip() for a in forwarded.split(",") if a.strip()]):
        if address not in trusted:
            return address
    return remote


def ratelimit_key(group: str, request) -> str:
    """django-ratelimit's key: one counter per visitor and group."""
    return client_ip(request)
