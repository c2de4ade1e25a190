"""The one module that reads names Flask keeps private.

kolben reads them only where the public route costs time on every request.
tests/app/test_flask_private.py fails if a Flask release changes any of them.
"""

from __future__ import annotations

from flask.globals import _cv_request

#: The context variable behind ``flask.request``: the current request context,
#: read directly instead of through the ``request_ctx`` proxy.
request_context_var = _cv_request

__all__ = ["request_context_var"]
