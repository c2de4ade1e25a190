"""Class-based views: :class:`View` and :class:`MethodView`."""

from __future__ import annotations

import typing as t

from . import typing as ft
from .globals import current_app, request

http_method_funcs = frozenset(
    ["get", "post", "head", "options", "delete", "put", "trace", "patch"]
)


class View:
    """Subclass and implement :meth:`dispatch_request`; register
    ``MyView.as_view("name")`` as the view function.

    ``methods``, ``provide_automatic_options`` and ``decorators`` apply to the
    generated view. A new instance is made per request unless
    ``init_every_request`` is false.
    """

    methods: t.ClassVar[t.Collection[str] | None] = None
    provide_automatic_options: t.ClassVar[bool | None] = None
    decorators: t.ClassVar[list[t.Callable[..., t.Any]]] = []
    init_every_request: t.ClassVar[bool] = True

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """The view body, called with the URL's values."""
        raise NotImplementedError()

    @classmethod
    def as_view(
        cls, name: str, *class_args: t.Any, **class_kwargs: t.Any
    ) -> ft.RouteCallable:
        """A view function named ``name`` that instantiates the class with the
        given arguments and dispatches to it."""
        if cls.init_every_request:

            def view(**kwargs: t.Any) -> ft.ResponseReturnValue:
                self = view.view_class(*class_args, **class_kwargs)  # type: ignore[attr-defined]
                return current_app.ensure_sync(self.dispatch_request)(**kwargs)  # type: ignore[no-any-return]

        else:
            instance = cls(*class_args, **class_kwargs)

            def view(**kwargs: t.Any) -> ft.ResponseReturnValue:
                return current_app.ensure_sync(instance.dispatch_request)(**kwargs)  # type: ignore[no-any-return]

        if cls.decorators:
            view.__name__ = name
            view.__module__ = cls.__module__
            for decorator in cls.decorators:
                view = decorator(view)

        view.view_class = cls  # type: ignore[attr-defined]
        view.__name__ = name
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.methods = cls.methods  # type: ignore[attr-defined]
        view.provide_automatic_options = cls.provide_automatic_options  # type: ignore[attr-defined]
        return view


class MethodView(View):
    """Dispatch to the method named after the request's method (``get``,
    ``post``, ...; ``head`` falls back to ``get``). ``methods`` is set from the
    methods defined."""

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" in cls.__dict__:
            return
        methods: set[str] = set()
        for base in cls.__bases__:
            if getattr(base, "methods", None):
                methods.update(base.methods)  # type: ignore[attr-defined]
        for key in http_method_funcs:
            if hasattr(cls, key):
                methods.add(key.upper())
        if methods:
            cls.methods = methods

    def dispatch_request(self, **kwargs: t.Any) -> ft.ResponseReturnValue:
        """Call the method for ``request.method``; raises ``AssertionError``
        when the class does not implement it."""
        meth = getattr(self, request.method.lower(), None)
        if meth is None and request.method == "HEAD":
            meth = getattr(self, "get", None)
        assert meth is not None, f"Unimplemented method {request.method!r}"
        return current_app.ensure_sync(meth)(**kwargs)  # type: ignore[no-any-return]
