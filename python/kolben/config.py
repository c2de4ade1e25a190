"""``app.config``: a dict of settings with loaders for objects, files and the
environment."""

from __future__ import annotations

import errno
import json
import os
import types
import typing as t

from werkzeug.utils import import_string

if t.TYPE_CHECKING:  # pragma: no cover
    from .sansio.app import App

T = t.TypeVar("T")

#: Prefixes read by :meth:`Config.from_prefixed_env` when none is given; later wins.
DEFAULT_ENV_PREFIXES = ("FLASK", "KOLBEN")


class ConfigAttribute(t.Generic[T]):
    """An attribute that reads and writes one config key."""

    def __init__(
        self, name: str, get_converter: t.Callable[[t.Any], T] | None = None
    ) -> None:
        self.__name__ = name
        self.get_converter = get_converter

    @t.overload
    def __get__(self, obj: None, owner: None) -> ConfigAttribute[T]: ...

    @t.overload
    def __get__(self, obj: App, owner: type[App]) -> T: ...

    def __get__(self, obj: App | None, owner: type[App] | None = None) -> t.Any:
        if obj is None:
            return self
        rv = obj.config[self.__name__]
        if self.get_converter is not None:
            rv = self.get_converter(rv)
        return rv

    def __set__(self, obj: App, value: t.Any) -> None:
        obj.config[self.__name__] = value


class Config(dict):  # type: ignore[type-arg]
    """A dict with helpers to fill it; only UPPERCASE keys are loaded.

    ``root_path`` is where relative file names are looked up.
    """

    def __init__(
        self,
        root_path: str | os.PathLike[str],
        defaults: dict[str, t.Any] | None = None,
    ) -> None:
        super().__init__(defaults or {})
        self.root_path = root_path

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load the Python file named by environment variable ``variable_name``.

        Raises ``RuntimeError`` when the variable is unset, unless ``silent``.
        """
        rv = os.environ.get(variable_name)
        if not rv:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set"
                " and as such configuration could not be loaded. Set"
                " this variable and make it point to a configuration"
                " file"
            )
        return self.from_pyfile(rv, silent=silent)

    def from_prefixed_env(
        self,
        prefix: str | None = None,
        *,
        loads: t.Callable[[str], t.Any] = json.loads,
    ) -> bool:
        """Load ``PREFIX_*`` environment variables, values parsed with ``loads``
        (kept as strings when that fails).

        Without a prefix both ``FLASK_`` and ``KOLBEN_`` are read, ``KOLBEN_``
        winning. A double underscore sets a nested key: ``KOLBEN_DB__HOST``
        sets ``config["DB"]["HOST"]``; raises ``KeyError`` if ``DB`` is missing.
        """
        prefixes = DEFAULT_ENV_PREFIXES if prefix is None else (prefix,)
        for one in prefixes:
            self._load_prefixed_env(f"{one}_", loads)
        return True

    def _load_prefixed_env(self, prefix: str, loads: t.Callable[[str], t.Any]) -> None:
        for key in sorted(os.environ):
            if not key.startswith(prefix):
                continue
            value: t.Any = os.environ[key]
            key = key.removeprefix(prefix)
            try:
                value = loads(value)
            except Exception:
                pass
            if "__" not in key:
                self[key] = value
                continue
            current: dict[str, t.Any] = self
            *parts, tail = key.split("__")
            for part in parts:
                if part not in current:
                    current[part] = {}
                current = current[part]
            current[tail] = value

    def from_pyfile(
        self, filename: str | os.PathLike[str], silent: bool = False
    ) -> bool:
        """Execute a Python file relative to ``root_path`` and load its UPPERCASE
        names. Raises ``OSError`` if unreadable, unless ``silent`` and missing."""
        filename = os.path.join(self.root_path, filename)
        d = types.ModuleType("config")
        d.__file__ = filename
        try:
            with open(filename, mode="rb") as config_file:
                exec(compile(config_file.read(), filename, "exec"), d.__dict__)
        except OSError as e:
            if silent and e.errno in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR):
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        self.from_object(d)
        return True

    def from_object(self, obj: object | str) -> None:
        """Load the UPPERCASE attributes of ``obj`` (an import string is
        imported first)."""
        if isinstance(obj, str):
            obj = import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: t.Callable[[t.IO[t.Any]], t.Mapping[str, t.Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """Load a mapping from a file with ``load`` (``json.load``,
        ``tomllib.load`` with ``text=False``, ...)."""
        filename = os.path.join(self.root_path, filename)
        try:
            with open(filename, "r" if text else "rb") as f:
                obj = load(f)
        except OSError as e:
            if silent and e.errno in (errno.ENOENT, errno.EISDIR):
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        return self.from_mapping(obj)

    def from_mapping(
        self, mapping: t.Mapping[str, t.Any] | None = None, **kwargs: t.Any
    ) -> bool:
        """Load the UPPERCASE keys of ``mapping`` and ``kwargs``."""
        mappings: dict[str, t.Any] = {}
        if mapping is not None:
            mappings.update(mapping)
        mappings.update(kwargs)
        for key, value in mappings.items():
            if key.isupper():
                self[key] = value
        return True

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, t.Any]:
        """The keys starting with ``namespace`` (``"IMAGE_STORE_"``), trimmed and
        lowercased by default."""
        rv = {}
        for k, v in self.items():
            if not k.startswith(namespace):
                continue
            key = k[len(namespace) :] if trim_namespace else k
            if lowercase:
                key = key.lower()
            rv[key] = v
        return rv

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"
