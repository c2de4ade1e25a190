"""kolben: Flask with a Rust URL router and a shorter request path.

An extension of Flask, not a fork: the public names here are Flask's own
objects (``kolben.request is flask.request``), plus :class:`Kolben`, a
:class:`flask.Flask` subclass, which ``Flask`` also names here, so changing
``from flask import ...`` to ``from kolben import ...`` migrates an app.
"""

from __future__ import annotations

import typing as t

from flask import Blueprint as Blueprint
from flask import Config as Config
from flask import Request as Request
from flask import Response as Response
from flask import abort as abort
from flask import after_this_request as after_this_request
from flask import appcontext_popped as appcontext_popped
from flask import appcontext_pushed as appcontext_pushed
from flask import appcontext_tearing_down as appcontext_tearing_down
from flask import before_render_template as before_render_template
from flask import copy_current_request_context as copy_current_request_context
from flask import current_app as current_app
from flask import flash as flash
from flask import g as g
from flask import get_flashed_messages as get_flashed_messages
from flask import get_template_attribute as get_template_attribute
from flask import got_request_exception as got_request_exception
from flask import has_app_context as has_app_context
from flask import has_request_context as has_request_context
from flask import json as json
from flask import jsonify as jsonify
from flask import make_response as make_response
from flask import message_flashed as message_flashed
from flask import redirect as redirect
from flask import render_template as render_template
from flask import render_template_string as render_template_string
from flask import request as request
from flask import request_finished as request_finished
from flask import request_started as request_started
from flask import request_tearing_down as request_tearing_down
from flask import send_file as send_file
from flask import send_from_directory as send_from_directory
from flask import session as session
from flask import stream_template as stream_template
from flask import stream_template_string as stream_template_string
from flask import stream_with_context as stream_with_context
from flask import template_rendered as template_rendered
from flask import url_for as url_for

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Kolben as Kolben

    #: The same class as :class:`Kolben`, for code migrating from Flask.
    Flask = Kolben

__version__ = "0.2.0"


def __getattr__(name: str) -> t.Any:
    # Kolben (and Flask, its alias here) is imported on first use, so that
    # importing kolben's flask.commands entry points (kolben.flask_commands)
    # succeeds on a Flask the app class cannot run on, and says why there.
    if name in ("Kolben", "Flask"):
        from .app import Kolben

        globals().update(Kolben=Kolben, Flask=Kolben)
        return Kolben
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
