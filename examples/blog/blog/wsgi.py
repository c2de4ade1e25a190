"""The blog as a module-level WSGI app, for servers that import one.

From ``examples/blog``: ``gunicorn blog.wsgi:app``, or ``python -m blog.wsgi`` for
the development server on http://127.0.0.1:5000.
"""

from __future__ import annotations

from . import create_app

app = create_app()

if __name__ == "__main__":
    app.run(debug=True)
