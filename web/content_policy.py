"""The Content-Security-Policy of the workspace's own pages.

Every script, style sheet and image a page uses is a file under /static/
(web/static/), so the policy names only the app itself: no inline script or
style, nothing from another origin, no plugins, no framing, forms posted only
back here. The API docs pages (/docs, /redoc) have a looser policy of their own
(offline_assets.DOCS_POLICY): their vendored bundles need inline code.
"""

from __future__ import annotations

WORKSPACE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
