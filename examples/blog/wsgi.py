"""The blog as a module-level WSGI app: ``gunicorn --chdir examples/blog wsgi:app``.

Run directly (``python examples/blog/wsgi.py``) it serves on http://127.0.0.1:5000.
"""

from __future__ import annotations

from blog import create_app

app = create_app()

if __name__ == "__main__":
    app.run(debug=True)
