"""The Content-Security-Policy of every page (django-csp, `CONTENT_SECURITY_POLICY`).

Public pages run no inline script or style. The staff pages (`ARCHIVE_PRIVATE_PATHS`) also allow
inline `style` attributes, which third-party admin templates use (django-simple-history's
history list); scripts stay the site's own files there too.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

from config.http_cache import is_private


class ContentSecurityPolicy(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_private(request.path_info) and parts.update is None:
            parts.update = {"style-src": [SELF, UNSAFE_INLINE]}
        return parts
