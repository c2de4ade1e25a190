//! The app's request fast path: `router.route(path, method, environ)`, a method
//! descriptor with the fast-call convention (see `fastcall`) on `Router`.
//!
//! It takes the path and method Werkzeug's `Request` has already read from the
//! WSGI environ (`request.path`: `PATH_INFO` decoded, with one leading `/`;
//! `request.method`: upper case), so they are not read and decoded again. The
//! environ itself is read only where the answer can depend on it: whether
//! `PATH_INFO` was empty (Werkzeug redirects it to `/`, and `request.path`
//! shows it as `/`), and the `Upgrade` header.
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFrozenSet, PyString, PyType};

use super::fastcall::{fast_call, Arguments, FastMethod, MethodDef};
use super::{utf8, PathSource, Router};
use crate::methods::Method;
use crate::router::Outcome;

/// Sets `route` on the `Router` class.
pub(crate) fn add_route_method(cls: &Bound<'_, PyType>) -> PyResult<()> {
    static ROUTE: MethodDef = MethodDef::new(
        c"route",
        c"route($self, path, method, environ)\n--\n\n\
          Routes a request on the default domain from `request.path`, \
          `request.method` and the WSGI environ: `(payload, values)`, `None` \
          (404), a `frozenset` of allowed methods (405), or `NotImplemented` \
          when the bound adapter must decide.",
        fast_call::<Route>,
    );
    cls.setattr("route", ROUTE.descriptor(cls)?)
}

struct Route;

impl FastMethod for Route {
    const METHOD_NAME: &'static str = "route";
    const PARAMETERS: &'static [&'static str] = &["path", "method", "environ"];
    const REQUIRED: usize = 3;

    fn call_fast<'py>(
        receiver: &Bound<'py, PyAny>,
        arguments: Arguments<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: the method descriptor is set on `Router` only, and CPython
        // calls it with a receiver that is an instance of that class (or of a
        // subclass, which starts with the same layout): a method descriptor
        // checks its receiver's type before every call.
        let router = unsafe { receiver.cast_unchecked::<Router>() };
        let py = receiver.py();
        let [Some(path), Some(method), Some(environ), ..] = &arguments else {
            // The three are required: `arguments` has raised otherwise.
            return Ok(py.NotImplemented().into_bound(py));
        };
        route(router.get(), path, method, environ)
    }
}

/// The fast path's answer; `NotImplemented` for anything that needs the bound
/// adapter: a redirect, a websocket upgrade, an empty `PATH_INFO`, or a path
/// or method not as `Request` gives them.
fn route<'py>(
    router: &Router,
    path: &Bound<'py, PyAny>,
    method: &Bound<'py, PyAny>,
    environ: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = path.py();
    let general = || Ok(py.NotImplemented().into_bound(py));
    let (Some(path_object), Some(method), Some(environ)) =
        (exact_str(path), exact_str(method), exact_dict(environ))
    else {
        return general();
    };
    let (Some(path), Some(method)) = (utf8(path_object), utf8(method)) else {
        return general();
    };
    let bytes = path.as_bytes();
    let method = Method::new(method);
    if bytes.first() != Some(&b'/')
        || bytes.get(1) == Some(&b'/')
        || !method.is_common() && method.name().bytes().any(|b| b.is_ascii_lowercase())
    {
        return general();
    }
    let shared = &router.shared;
    // `request.path` is `/` for an empty `PATH_INFO` too, which Werkzeug
    // matches as `""`.
    if bytes.len() == 1 {
        match environ.get_item(shared.path_info.bind(py))? {
            Some(path_info) if path_info.is_truthy()? => {}
            _ => return general(),
        }
    }
    let outcome = router.core.at_method("", path, method, false);
    // A websocket upgrade can change the answer only where a rule matched the
    // path, or where websocket rules exist; a plain 404 or 405 of a map
    // without them stands for either kind of request.
    let found = matches!(outcome, Outcome::Found { .. });
    if (found || router.websocket_routes) && environ.contains(shared.http_upgrade.bind(py))? {
        return general();
    }
    match outcome {
        Outcome::Found { route, values } => {
            // Values of an ASCII path are cut from its `str` (no ASCII check
            // for a rule without values).
            let source = match values.is_empty() {
                true => None,
                false => PathSource::ascii(path_object, path),
            };
            router.found(py, route, values.as_slice(), source.as_ref())
        }
        Outcome::NotFound { allowed, .. } if !allowed.is_empty() => {
            Ok(PyFrozenSet::new(py, allowed.names())?.into_any())
        }
        Outcome::NotFound {
            websocket_mismatch: false,
            ..
        } => Ok(py.None().into_bound(py)),
        _ => general(),
    }
}

/// `object` as a `str` when its type is exactly `str` (a subclass, which may
/// change how it reads, takes the general path).
#[inline]
fn exact_str<'a, 'py>(object: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, PyString>> {
    // SAFETY: `object` is live; `PyUnicode_CheckExact` only compares its type
    // pointer, and an object whose type is `str` is a `PyString`.
    unsafe {
        (ffi::PyUnicode_CheckExact(object.as_ptr()) != 0)
            .then(|| object.cast_unchecked::<PyString>())
    }
}

/// `object` as a `dict` when its type is exactly `dict`.
#[inline]
fn exact_dict<'a, 'py>(object: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, PyDict>> {
    // SAFETY: as for `exact_str`, with `dict`.
    unsafe {
        (ffi::PyDict_CheckExact(object.as_ptr()) != 0).then(|| object.cast_unchecked::<PyDict>())
    }
}
