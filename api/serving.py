"""How uvicorn serves the app: the connection settings journeykg chooses.

A client that opens connections and then goes quiet holds a socket each.
uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``
seconds (JOURNEYKG_KEEP_ALIVE_TIMEOUT); a body that is slow to arrive is the
app's to stop (:class:`journeykg.api.middleware.BodyLimitMiddleware`,
JOURNEYKG_BODY_TIMEOUT). uvicorn does not time the request line and headers
themselves (it caps their size at 16 KiB): in front of the internet, a proxy
should (docs/hardening.md).
"""

from __future__ import annotations

from typing import Any

from journeykg.settings import Settings


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` from the settings."""
    return {"timeout_keep_alive": settings.keep_alive_timeout}
