//! The native `MapAdapter.match` and `MapAdapter.build`: method descriptors on
//! kolben's `MapAdapter` class (see `fastcall`) that read the adapter's
//! bound state from one [`AdapterState`] it keeps as `_native`.
//!
//! The common answers — a plain rule matched, a plain URL built, a plain 404 or
//! 405 — come from one native call; everything else (redirects, aliases, rules
//! added since the map last compiled, an adapter without `_native`) goes to the
//! Python method, Werkzeug's code. The state holds no reference to its adapter,
//! so binding makes no reference cycle.
use std::borrow::Cow;
use std::sync::RwLock;

use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyString, PyType};

use super::build;
use super::fastcall::{fast_call, owned, Arguments, FastMethod, MethodDef};
use super::{upper_method, utf8, werkzeug_path, PathSource, RouterCell};
use crate::router::Outcome;

/// What `Map.bind` decided for one adapter, read by its native methods.
#[pyclass(module = "kolben._router", frozen)]
pub struct AdapterState {
    /// The map's router; `None` (rules added since) goes to Python.
    pub(crate) routers: Py<RouterCell>,
    /// The domain `match` routes on: the subdomain, or the host with host
    /// matching.
    pub(crate) domain: Py<PyString>,
    pub(crate) path_info: Py<PyString>,
    pub(crate) default_method: Py<PyString>,
    pub(crate) websocket: bool,
    pub(crate) server_name: Py<PyString>,
    pub(crate) subdomain: Option<Py<PyString>>,
    pub(crate) script_name: Py<PyString>,
    pub(crate) url_scheme: Option<Py<PyString>>,
    pub(crate) host_matching: bool,
    /// The map, whose `sort_parameters` is read when a query has several
    /// values (the map holds no adapter, so no cycle).
    pub(crate) map: Py<PyAny>,
    /// The text `build` reads, decoded once (`None`: one holds a lone
    /// surrogate; such adapters build in Python).
    pub(crate) texts: Option<BuildTexts>,
}

/// An adapter's names as `build` uses them.
pub(crate) struct BuildTexts {
    pub(crate) server_name: String,
    pub(crate) subdomain: Option<String>,
    pub(crate) script_name: String,
    pub(crate) url_scheme: Option<String>,
    pub(crate) default_method: String,
}

impl BuildTexts {
    fn new(py: Python<'_>, state: &AdapterState) -> Option<Self> {
        let text = |s: &Py<PyString>| utf8(s.bind(py)).map(str::to_owned);
        let optional = |s: &Option<Py<PyString>>| match s {
            Some(s) => text(s).map(Some),
            None => Some(None),
        };
        Some(Self {
            server_name: text(&state.server_name)?,
            subdomain: optional(&state.subdomain)?,
            script_name: text(&state.script_name)?,
            url_scheme: optional(&state.url_scheme)?,
            default_method: text(&state.default_method)?,
        })
    }
}

#[pymethods]
impl AdapterState {
    #[new]
    #[pyo3(signature = (
        *, routers, domain, path_info, default_method, websocket, server_name,
        subdomain, script_name, url_scheme, host_matching, map
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        routers: Py<RouterCell>,
        domain: Py<PyString>,
        path_info: Py<PyString>,
        default_method: Py<PyString>,
        websocket: bool,
        server_name: Py<PyString>,
        subdomain: Option<Py<PyString>>,
        script_name: Py<PyString>,
        url_scheme: Option<Py<PyString>>,
        host_matching: bool,
        map: Py<PyAny>,
    ) -> Self {
        let mut state = Self {
            routers,
            domain,
            path_info,
            default_method,
            websocket,
            server_name,
            subdomain,
            script_name,
            url_scheme,
            host_matching,
            map,
            texts: None,
        };
        state.texts = BuildTexts::new(py, &state);
        state
    }

    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        visit.call(&self.routers)?;
        visit.call(&self.map)
    }
}

/// The Python methods the native ones fall back to, set by [`adapter_method`].
static MATCH_FALLBACK: RwLock<Option<Py<PyAny>>> = RwLock::new(None);
static BUILD_FALLBACK: RwLock<Option<Py<PyAny>>> = RwLock::new(None);

fn fallback<'py>(py: Python<'py>, slot: &RwLock<Option<Py<PyAny>>>) -> PyResult<Bound<'py, PyAny>> {
    let function = slot.read().unwrap_or_else(|e| e.into_inner());
    function
        .as_ref()
        .map(|f| f.bind(py).clone())
        .ok_or_else(|| PyValueError::new_err("no Python method to fall back to"))
}

/// The adapter's `_native` state; `None` for an adapter bound some other way.
fn state<'py>(adapter: &Bound<'py, PyAny>) -> Option<Bound<'py, AdapterState>> {
    let state = adapter.getattr(intern!(adapter.py(), "_native")).ok()?;
    state.cast_into::<AdapterState>().ok()
}

/// A method descriptor for `cls`: the native `match` or `build`, falling back
/// to `fallback` (the Python method, called with the adapter first).
#[pyfunction]
pub(crate) fn adapter_method<'py>(
    cls: &Bound<'py, PyType>,
    name: &str,
    fallback: Py<PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    static MATCH: MethodDef = MethodDef::new(
        c"match",
        c"match($self, /, path_info=None, method=None, return_rule=False, query_args=None, websocket=None)\n--\n\n\
          Matches the path: `(endpoint, values)`, or `(rule, values)` with `return_rule`.",
        fast_call::<Match>,
    );
    static BUILD: MethodDef = MethodDef::new(
        c"build",
        c"build($self, /, endpoint, values=None, method=None, force_external=False, append_unknown=True, url_scheme=None)\n--\n\n\
          Builds the URL of `endpoint` from `values`.",
        fast_call::<Build>,
    );
    let (definition, slot) = match name {
        "match" => (&MATCH, &MATCH_FALLBACK),
        "build" => (&BUILD, &BUILD_FALLBACK),
        other => {
            return Err(PyValueError::new_err(format!(
                "no native adapter method {other:?}"
            )))
        }
    };
    *slot.write().unwrap_or_else(|e| e.into_inner()) = Some(fallback);
    definition.descriptor(cls)
}

/// `MapAdapter.match`.
struct Match;

impl FastMethod for Match {
    const METHOD_NAME: &'static str = "match";
    const PARAMETERS: &'static [&'static str] = &[
        "path_info",
        "method",
        "return_rule",
        "query_args",
        "websocket",
    ];
    const REQUIRED: usize = 0;

    fn call_fast<'py>(
        adapter: &Bound<'py, PyAny>,
        arguments: Arguments<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = adapter.py();
        let [path_info, method, return_rule, query_args, websocket, _] = arguments;
        let python = || {
            fallback(py, &MATCH_FALLBACK)?.call1((
                adapter,
                path_info,
                method,
                return_rule.map_or_else(
                    || PyBool::new(py, false).to_owned().into_any(),
                    |flag| flag.to_owned(),
                ),
                query_args,
                websocket,
            ))
        };
        let Some(state) = state(adapter) else {
            return python();
        };
        let state = state.get();
        let return_rule = match &return_rule {
            Some(flag) => flag.is_truthy()?,
            None => false,
        };
        let Some(router) = state.routers.get().get(py) else {
            return python();
        };
        let websocket_flag = match &websocket {
            None => state.websocket,
            Some(value) if value.is_none() => state.websocket,
            Some(value) => value.is_truthy()?,
        };
        let path_object = match &path_info {
            Some(value) if !value.is_none() => value.cast::<PyString>().ok(),
            _ => Some(state.path_info.bind(py).as_borrowed()),
        };
        let path_object = path_object.as_deref();
        let path_text = path_object.and_then(utf8);
        let method_object = match &method {
            Some(value) if !value.is_none() => value.cast::<PyString>().ok(),
            _ => None,
        };
        let method_text = match method_object.as_deref().and_then(utf8) {
            Some(text) if !text.is_empty() => Some(text),
            _ => utf8(state.default_method.bind(py)),
        };
        let (Some(raw_path), Some(method_text)) = (path_text, method_text) else {
            return python();
        };
        let Some(method_text) = upper_method(method_text) else {
            return python();
        };
        let Some(domain) = utf8(state.domain.bind(py)) else {
            return python();
        };
        let path = werkzeug_path(raw_path);
        let router = router.get();
        let (route, values) = match router.core.at(domain, &path, &method_text, websocket_flag) {
            Outcome::Found { route, values } => (route, values),
            Outcome::NotFound {
                allowed,
                websocket_mismatch: false,
            } => {
                let shared = &router.shared;
                let error = if allowed.is_empty() {
                    shared.new_not_found(py)?
                } else {
                    let kwargs = PyDict::new(py);
                    kwargs.set_item(intern!(py, "valid_methods"), allowed.names())?;
                    shared.method_not_allowed.bind(py).call((), Some(&kwargs))?
                };
                return Err(PyErr::from_value(error));
            }
            _ => return python(),
        };
        if router.specials[route] {
            return python();
        }
        let source = match (&path, path_object) {
            (Cow::Borrowed(_), Some(object)) if !values.is_empty() => {
                PathSource::ascii(object, raw_path)
            }
            _ => None,
        };
        let Some(dict) = router.route_values(py, route, values.as_slice(), source.as_ref())? else {
            return python();
        };
        let payload = router.payloads[route].bind(py);
        let first = match &router.endpoints[route] {
            Some(endpoint) if !return_rule => endpoint.bind(py).clone(),
            None if !return_rule => payload.getattr(intern!(py, "endpoint"))?,
            _ => payload.clone(),
        };
        Ok((first, dict).into_pyobject(py)?.into_any())
    }
}

/// `MapAdapter.build`.
struct Build;

impl FastMethod for Build {
    const METHOD_NAME: &'static str = "build";
    const PARAMETERS: &'static [&'static str] = &[
        "endpoint",
        "values",
        "method",
        "force_external",
        "append_unknown",
        "url_scheme",
    ];
    const REQUIRED: usize = 1;

    fn call_fast<'py>(
        adapter: &Bound<'py, PyAny>,
        arguments: Arguments<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = adapter.py();
        let arguments = owned(arguments);
        if let Some(state) = state(adapter) {
            if let Some(url) = build::build(py, state.get(), &arguments)? {
                return Ok(url.into_any());
            }
        }
        let [endpoint, values, method, force_external, append_unknown, url_scheme] = arguments;
        let kwargs = PyDict::new(py);
        kwargs.set_item(intern!(py, "values"), values)?;
        kwargs.set_item(intern!(py, "method"), method)?;
        if let Some(flag) = force_external {
            kwargs.set_item(intern!(py, "force_external"), flag)?;
        }
        if let Some(flag) = append_unknown {
            kwargs.set_item(intern!(py, "append_unknown"), flag)?;
        }
        kwargs.set_item(intern!(py, "url_scheme"), url_scheme)?;
        fallback(py, &BUILD_FALLBACK)?.call((adapter, endpoint), Some(&kwargs))
    }
}
