"""GraphiQL, Swagger UI and ReDoc with every asset served by the app itself.

The pages strawberry and FastAPI write load their JavaScript and CSS from
public CDNs, so they stay blank without internet. Here the same files come
from web/assets/package-lock.json (``make web-assets`` copies them into
web/static/vendor/, which the wheel ships) and are served under /static/vendor/.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.responses import HTMLResponse

#: Where the vendored files are served (web/static/vendor/ in the package).
VENDOR_URL = "/static/vendor"

#: The API docs pages may load nothing from elsewhere. ReDoc's bundle names its own
#: logo on cdn.redoc.ly whatever its options say; with this policy the browser does
#: not ask for it (the logo hides itself when it cannot load). The pages' own
#: bootstrap scripts are inline, and ReDoc runs its search in a blob: worker.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)

# strawberry's GraphiQL page names each asset as unpkg.com/<package>@<version>/<path>;
# web/assets/package.json pins those same versions, so the page's integrity
# hashes (kept) also prove that the local file is the one strawberry expects.
_UNPKG = re.compile(r"https://unpkg\.com/(@[^/@]+/[^/@]+|[^/@]+)@[^/]+/([^\"']+)")


def served_locally(html: str) -> str:
    """strawberry's GraphiQL page with its CDN addresses replaced by the app's own."""
    local = _UNPKG.sub(lambda m: f"{VENDOR_URL}/{m.group(1)}/{m.group(2)}", html)
    if "https://unpkg.com" in local:
        raise RuntimeError("the GraphiQL page names an asset that is not vendored")
    return local


def install_api_docs(app: FastAPI) -> None:
    """The OpenAPI pages (/docs: Swagger UI, /redoc: ReDoc) on vendored assets.

    The app is created with ``docs_url=None, redoc_url=None``; these take their place.
    """
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

    title = f"{app.title} API"
    favicon = f"{VENDOR_URL}/swagger-ui-dist/favicon-32x32.png"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _confined(
            get_swagger_ui_html(
                openapi_url="/openapi.json",
                title=title,
                swagger_js_url=f"{VENDOR_URL}/swagger-ui-dist/swagger-ui-bundle.js",
                swagger_css_url=f"{VENDOR_URL}/swagger-ui-dist/swagger-ui.css",
                swagger_favicon_url=favicon,
            )
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _confined(
            get_redoc_html(
                openapi_url="/openapi.json",
                title=title,
                redoc_js_url=f"{VENDOR_URL}/redoc/bundles/redoc.standalone.js",
                redoc_favicon_url=favicon,
                # Google's fonts are a CDN too; the page uses the browser's own.
                with_google_fonts=False,
            )
        )


def _confined(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page
