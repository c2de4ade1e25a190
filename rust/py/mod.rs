//! The PyO3 module `kolben._router`: a router builder and a frozen router.
//!
//! Only plain values cross the boundary. A match returns `(payload, values)` where
//! `payload` is the object given when the rule was added (kolben passes the
//! `Rule`) and `values` a new dict of converted values; a miss returns `None`
//! (404), a `frozenset` of allowed methods (405), a `str` path to redirect to, or
//! `False` (only the websocket flag differed).
mod adapter;
mod build;
mod fastcall;
mod route;

use std::borrow::Cow;
use std::os::raw::c_char;
use std::sync::Arc;

use arc_swap::ArcSwapOption;

use pyo3::create_exception;
use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFrozenSet, PyString, PyType};

use crate::converter::{Converter, Custom};
use crate::error::InsertError;
use crate::router::{Outcome, RouteOptions, Router as CoreRouter};
use adapter::{adapter_method, AdapterState};
use build::{BuildTable, RuleSpec};

/// CPython's `PyUnicode_AsUTF8AndSize`: part of its API since 3.3 and of the
/// limited API since 3.10.
type AsUtf8AndSize =
    unsafe extern "C" fn(*mut pyo3::ffi::PyObject, *mut pyo3::ffi::Py_ssize_t) -> *const c_char;

#[cfg(not(windows))]
mod as_utf8 {
    unsafe extern "C" {
        // Every CPython the module loads in (3.9+) exports it, and on these
        // systems its symbols are looked up in the loading interpreter.
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut pyo3::ffi::PyObject,
            size: *mut pyo3::ffi::Py_ssize_t,
        ) -> *const std::os::raw::c_char;
    }

    /// The function; found by the linker.
    pub(super) fn function() -> Option<super::AsUtf8AndSize> {
        Some(PyUnicode_AsUTF8AndSize)
    }

    pub(super) fn resolve(_py: pyo3::Python<'_>) -> pyo3::PyResult<()> {
        Ok(())
    }
}

#[cfg(windows)]
mod as_utf8 {
    //! On Windows an abi3 module links `python3.dll`, which exports this
    //! function only from CPython 3.10 on. The interpreter's own DLL
    //! (`sys.dllhandle`, `python3X.dll`) exports it on every CPython the module
    //! loads in, so it is looked up there once, when the module loads.
    use std::ffi::c_void;
    use std::os::raw::c_char;
    use std::sync::OnceLock;

    use pyo3::exceptions::PyImportError;
    use pyo3::prelude::*;

    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetProcAddress(module: *mut c_void, name: *const c_char) -> *mut c_void;
    }

    static FUNCTION: OnceLock<super::AsUtf8AndSize> = OnceLock::new();

    /// The function, once [`resolve`] has found it.
    pub(super) fn function() -> Option<super::AsUtf8AndSize> {
        FUNCTION.get().copied()
    }

    pub(super) fn resolve(py: Python<'_>) -> PyResult<()> {
        let handle: usize = py.import("sys")?.getattr("dllhandle")?.extract()?;
        // SAFETY: `handle` is the module handle CPython keeps for its own DLL,
        // loaded for the life of the process; the name is a NUL-terminated
        // string. GetProcAddress returns NULL or the function's address.
        let address =
            unsafe { GetProcAddress(handle as *mut c_void, c"PyUnicode_AsUTF8AndSize".as_ptr()) };
        if address.is_null() {
            return Err(PyImportError::new_err(
                "the Python DLL does not export PyUnicode_AsUTF8AndSize",
            ));
        }
        // SAFETY: the exported symbol of that name is CPython's function, whose
        // C signature `AsUtf8AndSize` states.
        let function = unsafe { std::mem::transmute::<*mut c_void, super::AsUtf8AndSize>(address) };
        let _ = FUNCTION.set(function);
        Ok(())
    }
}

/// The UTF-8 text of `s` without copying; `None` if it holds lone surrogates.
pub(crate) fn utf8<'a>(s: &'a Bound<'_, PyString>) -> Option<&'a str> {
    let as_utf8_and_size = as_utf8::function()?;
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live str object, so the call is valid; on success CPython
    // returns a pointer to the UTF-8 copy it caches inside the object, valid for
    // `size` bytes for as long as the object lives, which the borrow of `s`
    // guarantees. On failure it returns NULL with an exception set, cleared here.
    unsafe {
        let data = as_utf8_and_size(s.as_ptr(), &mut size);
        if data.is_null() {
            pyo3::ffi::PyErr_Clear();
            return None;
        }
        let bytes = std::slice::from_raw_parts(data.cast::<u8>(), size as usize);
        // CPython produced this buffer as UTF-8.
        Some(std::str::from_utf8_unchecked(bytes))
    }
}

/// `s`'s text with each lone surrogate as U+FFFD: one character for one, so
/// that character offsets into the text are offsets into `s`.
pub(crate) fn text_replacing_surrogates(s: &Bound<'_, PyString>) -> PyResult<String> {
    let py = s.py();
    let encoded = s.call_method1(intern!(py, "encode"), ("utf-8", "surrogatepass"))?;
    let mut bytes = encoded.cast::<PyBytes>()?.as_bytes().to_vec();
    // `surrogatepass` writes a surrogate as ED A0..BF 80..BF, three bytes that
    // UTF-8 never holds (there ED is followed by 80..9F); ED is never a
    // continuation byte, so a byte-wise scan finds each one.
    let replacement = "\u{FFFD}".as_bytes();
    let mut at = 0;
    while at + 3 <= bytes.len() {
        if bytes[at] == 0xED && bytes[at + 1] >= 0xA0 {
            bytes[at..at + 3].copy_from_slice(replacement);
            at += 3;
        } else {
            at += 1;
        }
    }
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()))
}

/// The `str` a request's path was read from, and its text: a value cut from
/// that text is made with `PyUnicode_Substring` (one copy of the characters)
/// instead of being decoded from UTF-8 again, and keeps any lone surrogate the
/// text had to replace.
pub(crate) struct PathSource<'a, 'py> {
    object: &'a Bound<'py, PyString>,
    text: &'a str,
    /// Byte offsets into `text` are character offsets.
    ascii: bool,
}

impl<'a, 'py> PathSource<'a, 'py> {
    /// `text` must be `object`'s text (as [`utf8`] gives it); `None` unless it
    /// is ASCII, where character offsets are byte offsets.
    pub(crate) fn ascii(object: &'a Bound<'py, PyString>, text: &'a str) -> Option<Self> {
        text.is_ascii().then_some(Self {
            object,
            text,
            ascii: true,
        })
    }

    /// `text` must be [`text_replacing_surrogates`]'s text of `object`.
    pub(crate) fn replaced(object: &'a Bound<'py, PyString>, text: &'a str) -> Self {
        Self {
            object,
            text,
            ascii: false,
        }
    }

    /// `value` as a new `str`, if it is a slice of the source text.
    fn substring(&self, value: &str) -> Option<PyResult<Bound<'py, PyAny>>> {
        let start = (value.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        let end = start.checked_add(value.len())?;
        if end > self.text.len() {
            return None;
        }
        let (start, end) = match self.ascii {
            true => (start, end),
            false => {
                let start = self.text.get(..start)?.chars().count();
                (start, start + value.chars().count())
            }
        };
        // Both offsets are at most the text's length, which fits a Py_ssize_t.
        let (start, end) = (start as pyo3::ffi::Py_ssize_t, end as pyo3::ffi::Py_ssize_t);
        let py = self.object.py();
        // SAFETY: `object` is a live str, and `text` holds its characters one
        // for one (ASCII: a byte each; otherwise each lone surrogate replaced
        // by one U+FFFD), so `0 <= start <= end` are character offsets within
        // its length. The call returns a new reference, or NULL with an
        // exception set, which `from_owned_ptr_or_err` turns into the error.
        Some(unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                pyo3::ffi::PyUnicode_Substring(self.object.as_ptr(), start, end),
            )
        })
    }
}

/// A converter's Python side, per variable: what turns the matched text into a value.
enum Convert {
    Str,
    Int,
    Float,
    Uuid,
    /// A custom converter's `to_python`.
    Call(Py<PyAny>),
}

struct RouteData {
    /// Variable names, made once.
    keys: Vec<Py<PyString>>,
    converts: Vec<Convert>,
    defaults: Option<Py<PyDict>>,
}

pub(crate) struct Shared {
    uuid_class: Py<PyAny>,
    validation_error: Py<PyAny>,
    /// The payload class that marks rules only the Python adapter can answer.
    special: Py<PyType>,
    /// Werkzeug's `NotFound` and `MethodNotAllowed`, raised for plain misses.
    not_found: Py<PyAny>,
    /// `BaseException.__new__`, when `not_found()` does no more than it and
    /// setting `response = None` (Werkzeug's `HTTPException.__init__`).
    bare_new: Option<Py<PyAny>>,
    pub(crate) method_not_allowed: Py<PyAny>,
    /// The WSGI environ keys the request fast path reads, interned once.
    pub(crate) path_info: Py<PyString>,
    pub(crate) http_upgrade: Py<PyString>,
}

impl Shared {
    /// A new `not_found()` exception.
    pub(crate) fn new_not_found<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let not_found = self.not_found.bind(py);
        match &self.bare_new {
            Some(new) => {
                let error = new.bind(py).call1((not_found,))?;
                error.setattr(intern!(py, "response"), py.None())?;
                Ok(error)
            }
            None => not_found.call0(),
        }
    }
}

create_exception!(
    kolben._router,
    RouteConflictError,
    PyValueError,
    "A rule matches exactly the URLs of an earlier one for an overlapping method; \
     `earlier_index` is the index `RouterBuilder.add` returned for the earlier rule."
);

/// `error` as Python sees it: [`RouteConflictError`] for a conflict (its
/// message alone in `args`, so `str()` is the message), else `ValueError`.
fn insert_error(py: Python<'_>, error: InsertError) -> PyErr {
    let message = error.to_string();
    match error {
        InsertError::Conflict { with_index, .. } => {
            let err = RouteConflictError::new_err(message);
            match err
                .value(py)
                .setattr(intern!(py, "earlier_index"), with_index)
            {
                Ok(()) => err,
                Err(setattr_error) => setattr_error,
            }
        }
        _ => PyValueError::new_err(message),
    }
}

/// Collects rules; `build()` snapshots them into a frozen [`Router`].
#[pyclass(module = "kolben._router")]
pub struct RouterBuilder {
    core: CoreRouter,
    routes: Vec<Arc<RouteData>>,
    shared: Arc<Shared>,
}

#[pymethods]
impl RouterBuilder {
    #[new]
    #[pyo3(signature = (
        *, merge_slashes, uuid_class, validation_error, special, not_found,
        method_not_allowed, bare_not_found = false
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        merge_slashes: bool,
        uuid_class: Py<PyAny>,
        validation_error: Py<PyAny>,
        special: Py<PyType>,
        not_found: Py<PyAny>,
        method_not_allowed: Py<PyAny>,
        bare_not_found: bool,
    ) -> PyResult<Self> {
        let mut core = CoreRouter::new();
        core.set_merge_slashes(merge_slashes);
        Ok(Self {
            core,
            routes: Vec::new(),
            shared: Arc::new(Shared {
                uuid_class,
                validation_error,
                special,
                bare_new: if bare_not_found {
                    Some(not_found.bind(py).getattr(intern!(py, "__new__"))?.unbind())
                } else {
                    None
                },
                not_found,
                method_not_allowed,
                path_info: PyString::intern(py, "PATH_INFO").unbind(),
                http_upgrade: PyString::intern(py, "HTTP_UPGRADE").unbind(),
            }),
        })
    }

    /// Adds a rule and returns its index; raises ValueError for a malformed
    /// rule and RouteConflictError (a ValueError) for a conflict.
    #[pyo3(signature = (
        rule, *, domain = String::new(), methods = None,
        implicit_methods = Vec::new(), websocket = false, strict_slashes = true,
        merge_slashes = true, converters = Vec::new(), defaults = None,
        allow_conflict = false
    ))]
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        py: Python<'_>,
        rule: &str,
        domain: String,
        methods: Option<Vec<String>>,
        implicit_methods: Vec<String>,
        websocket: bool,
        strict_slashes: bool,
        merge_slashes: bool,
        converters: Vec<(String, String, i64, bool, Py<PyAny>)>,
        defaults: Option<Py<PyDict>>,
        allow_conflict: bool,
    ) -> PyResult<usize> {
        let options = RouteOptions {
            domain,
            methods,
            implicit_methods,
            websocket,
            strict_slashes,
            merge_slashes,
            allow_conflict,
            converters: converters
                .iter()
                .map(|(name, regex, weight, part_isolating, _)| {
                    let custom = Custom {
                        regex: regex.clone(),
                        weight: *weight,
                        part_isolating: *part_isolating,
                    };
                    (name.clone(), custom)
                })
                .collect(),
        };
        let index = self
            .core
            .insert(rule, options)
            .map_err(|e| insert_error(py, e))?;
        let route = &self.core.routes()[index];
        let mut keys = Vec::with_capacity(route.variables.len());
        let mut converts = Vec::with_capacity(route.variables.len());
        for (name, converter) in &route.variables {
            keys.push(PyString::intern(py, name).unbind());
            converts.push(match converter {
                Converter::Int { .. } => Convert::Int,
                Converter::Float { .. } => Convert::Float,
                Converter::Uuid => Convert::Uuid,
                Converter::Custom(_) => {
                    let to_python = converters
                        .iter()
                        .find(|(n, ..)| n == name)
                        .map(|(.., f)| f.clone_ref(py))
                        .ok_or_else(|| {
                            PyValueError::new_err("custom converter without to_python")
                        })?;
                    Convert::Call(to_python)
                }
                _ => Convert::Str,
            });
        }
        self.routes.push(Arc::new(RouteData {
            keys,
            converts,
            defaults,
        }));
        Ok(index)
    }

    /// A frozen router over the rules added so far; a match returns
    /// `payloads[i]` for route `i`. `builds` describes each endpoint's rules
    /// for URL building (see `kolben.routing.matcher.build_spec`).
    #[pyo3(signature = (*, merge_slashes, payloads, builds = Vec::new()))]
    #[allow(clippy::type_complexity)]
    fn build(
        &self,
        py: Python<'_>,
        merge_slashes: bool,
        payloads: Vec<Py<PyAny>>,
        builds: Vec<(Py<PyAny>, Option<Vec<RuleSpec>>)>,
    ) -> PyResult<Router> {
        if payloads.len() != self.routes.len() {
            return Err(PyValueError::new_err("one payload per route is needed"));
        }
        let mut core = self.core.clone();
        core.set_merge_slashes(merge_slashes);
        let websocket_routes = core.has_websocket_routes();
        let endpoints = payloads
            .iter()
            .map(|payload| {
                payload
                    .bind(py)
                    .getattr(intern!(py, "endpoint"))
                    .ok()
                    .map(Bound::unbind)
            })
            .collect();
        let special = self.shared.special.bind(py);
        let specials = payloads
            .iter()
            .map(|payload| payload.bind(py).is_instance(special))
            .collect::<PyResult<_>>()?;
        Ok(Router {
            endpoints,
            specials,
            core: Arc::new(core),
            routes: self.routes.clone(),
            payloads,
            shared: Arc::clone(&self.shared),
            builds: BuildTable::new(py, builds)?,
            websocket_routes,
        })
    }

    fn __len__(&self) -> usize {
        self.routes.len()
    }
}

/// An immutable router: share it between threads, match with no locks.
#[pyclass(module = "kolben._router", frozen)]
pub struct Router {
    pub(crate) core: Arc<CoreRouter>,
    routes: Vec<Arc<RouteData>>,
    pub(crate) payloads: Vec<Py<PyAny>>,
    pub(crate) shared: Arc<Shared>,
    /// Each payload's `endpoint` attribute, read once at build.
    pub(crate) endpoints: Vec<Option<Py<PyAny>>>,
    /// Whether each payload is of the builder's `special` class.
    pub(crate) specials: Vec<bool>,
    builds: BuildTable,
    /// Whether any rule is a websocket rule (see `route`).
    pub(crate) websocket_routes: bool,
}

impl Router {
    /// Each endpoint's rules for URL building.
    pub(crate) fn builds(&self) -> &BuildTable {
        &self.builds
    }

    /// The `ValidationError` class converters raise to refuse a value.
    pub(crate) fn validation_error<'py>(&self, py: Python<'py>) -> &Bound<'py, PyAny> {
        self.shared.validation_error.bind(py)
    }

    /// [`Router::route_values`] for a route with variables or defaults.
    #[inline(never)]
    fn convert_each<'py>(
        &self,
        py: Python<'py>,
        data: &RouteData,
        values: &[&str],
        source: Option<&PathSource<'_, 'py>>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let dict = PyDict::new(py);
        for ((key, convert), &text) in data.keys.iter().zip(&data.converts).zip(values) {
            let value: Bound<'py, PyAny> = match convert {
                Convert::Str => match source.and_then(|source| source.substring(text)) {
                    Some(value) => value?,
                    None => PyString::new(py, text).into_any(),
                },
                Convert::Int => match text.parse::<i64>() {
                    Ok(i) => i.into_pyobject(py)?.into_any(),
                    // Digits only, so `int()` refuses them only past Python's
                    // limit on digits (`sys.set_int_max_str_digits`): a value
                    // the converter cannot give, refused as a converter would.
                    Err(_) => match py.get_type::<pyo3::types::PyInt>().call1((text,)) {
                        Ok(value) => value,
                        Err(err) if err.is_instance_of::<PyValueError>(py) => return Ok(None),
                        Err(err) => return Err(err),
                    },
                },
                Convert::Float => match text.parse::<f64>() {
                    Ok(f) => f.into_pyobject(py)?.into_any(),
                    Err(_) => return Ok(None),
                },
                Convert::Uuid => self.shared.uuid_class.bind(py).call1((text,))?,
                Convert::Call(to_python) => match to_python.bind(py).call1((text,)) {
                    Ok(v) => v,
                    Err(err) if err.is_instance(py, self.shared.validation_error.bind(py)) => {
                        return Ok(None)
                    }
                    Err(err) => return Err(err),
                },
            };
            dict.set_item(key.bind(py), value)?;
        }
        if let Some(defaults) = &data.defaults {
            dict.update(defaults.bind(py).as_mapping())?;
        }
        Ok(Some(dict))
    }

    /// Route `route`'s values as Python converts them (`None`: a converter
    /// refused them); a new empty dict for a rule without variables or
    /// defaults. `source` is where the values were cut from, if known.
    #[inline]
    pub(crate) fn route_values<'py>(
        &self,
        py: Python<'py>,
        route: usize,
        values: &[&str],
        source: Option<&PathSource<'_, 'py>>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let data = &self.routes[route];
        if data.keys.is_empty() && data.defaults.is_none() {
            return Ok(Some(PyDict::new(py)));
        }
        self.convert_each(py, data, values, source)
    }

    /// `(payload, values)` for route `route`, or `None` when a converter
    /// refused the values (a 404).
    pub(crate) fn found<'py>(
        &self,
        py: Python<'py>,
        route: usize,
        values: &[&str],
        source: Option<&PathSource<'_, 'py>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.route_values(py, route, values, source)? {
            Some(dict) => {
                let payload = self.payloads[route].bind(py);
                // SAFETY: `payload` and `dict` are live objects; `PyTuple_Pack`
                // takes a new reference to each and returns a new tuple, or NULL
                // with an exception set, which `from_owned_ptr_or_err` turns
                // into the error. Two object pointers follow the count of two.
                unsafe {
                    Bound::from_owned_ptr_or_err(
                        py,
                        pyo3::ffi::PyTuple_Pack(2, payload.as_ptr(), dict.as_ptr()),
                    )
                }
            }
            None => Ok(py.None().into_bound(py)),
        }
    }
}

/// The path Werkzeug matches for `path_info`: `"/" + path_info.lstrip("/")`,
/// or `""` for no path.
pub(crate) fn werkzeug_path(path_info: &str) -> Cow<'_, str> {
    let rest = path_info.trim_start_matches('/');
    if path_info.is_empty() || path_info.len() == rest.len() + 1 {
        Cow::Borrowed(path_info)
    } else {
        Cow::Owned(format!("/{rest}"))
    }
}

/// The method upper-cased as Python's `str.upper()` does it; `None` for a
/// non-ASCII name (Python's Unicode rules are left to the Python path).
pub(crate) fn upper_method(method: &str) -> Option<Cow<'_, str>> {
    if !method.is_ascii() {
        None
    } else if method.bytes().any(|b| b.is_ascii_lowercase()) {
        Some(Cow::Owned(method.to_ascii_uppercase()))
    } else {
        Some(Cow::Borrowed(method))
    }
}

#[pymethods]
impl Router {
    /// Matches `path` (starting with `/`) on `domain` (subdomain or host, or
    /// empty) for the upper-case `method`. See the module docs for the result.
    #[pyo3(signature = (domain, path, method, websocket = false))]
    fn r#match<'py>(
        &self,
        py: Python<'py>,
        domain: &Bound<'py, PyString>,
        path: &Bound<'py, PyString>,
        method: &Bound<'py, PyString>,
        websocket: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let lossy_domain;
        let domain = match utf8(domain) {
            Some(s) => s,
            None => {
                lossy_domain = domain.to_string_lossy().into_owned();
                &lossy_domain
            }
        };
        // A path with lone surrogates is matched with U+FFFD in their place;
        // its values are cut from the `str` itself, surrogates included.
        let replaced_path;
        let (text, source) = match utf8(path) {
            Some(text) => (text, None),
            None => {
                replaced_path = text_replacing_surrogates(path)?;
                let source = PathSource::replaced(path, &replaced_path);
                (replaced_path.as_str(), Some(source))
            }
        };
        let method = utf8(method).unwrap_or("");
        match self.core.at(domain, text, method, websocket) {
            Outcome::Found { route, values } => {
                self.found(py, route, values.as_slice(), source.as_ref())
            }
            Outcome::Redirect(to) => Ok(PyString::new(py, &to).into_any()),
            Outcome::NotFound { allowed, .. } if !allowed.is_empty() => {
                Ok(PyFrozenSet::new(py, allowed.names())?.into_any())
            }
            Outcome::NotFound {
                websocket_mismatch: true,
                ..
            } => Ok(false.into_pyobject(py)?.to_owned().into_any()),
            Outcome::NotFound { .. } => Ok(py.None().into_bound(py)),
        }
    }

    /// The (host part, path) of route `index` built from values already in URL
    /// form, one per variable in rule order.
    fn url_for(&self, index: usize, values: Vec<String>) -> PyResult<(String, String)> {
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        self.core
            .url_for(index, &refs)
            .ok_or_else(|| PyIndexError::new_err("no such route, or wrong number of values"))
    }

    fn __len__(&self) -> usize {
        self.routes.len()
    }
}

/// A map's current router: `update()` stores the one it compiles, `add()`
/// clears it until then. The native adapter methods read it in one step where
/// Python would read two attributes; `None` sends them to Python, which
/// compiles first. Readers take no lock: a read is an atomic load that sees the
/// old router or the new one, never a torn one, while `set` swaps.
#[pyclass(module = "kolben._router", frozen)]
pub struct RouterCell {
    current: ArcSwapOption<Py<Router>>,
}

impl RouterCell {
    /// The current router, if no rule was added since it was compiled.
    pub(crate) fn get(&self, py: Python<'_>) -> Option<Py<Router>> {
        self.current
            .load()
            .as_ref()
            .map(|router| router.clone_ref(py))
    }
}

#[pymethods]
impl RouterCell {
    #[new]
    fn new() -> Self {
        Self {
            current: ArcSwapOption::empty(),
        }
    }

    /// Stores `router` (`None` marks the map changed).
    fn set(&self, router: Option<Py<Router>>) {
        self.current.store(router.map(Arc::new));
    }
}

/// Raises ValueError (with the position) if `rule` is not a valid rule.
/// `custom` names converters to accept without knowing their expression.
#[pyfunction]
#[pyo3(signature = (rule, custom = Vec::new()))]
fn check_rule(rule: &str, custom: Vec<String>) -> PyResult<()> {
    let tokens = crate::rule::tokenize(rule).map_err(|e| {
        PyValueError::new_err(format!(
            "malformed rule {rule:?} at position {}: {}",
            e.pos, e.message
        ))
    })?;
    let converters = tokens
        .iter()
        .filter_map(|t| match t {
            crate::rule::Token::Variable(v) if custom.iter().any(|c| c == v.converter) => {
                let any = Custom {
                    regex: "[^/]+".to_owned(),
                    weight: 100,
                    part_isolating: true,
                };
                Some((v.name.to_owned(), any))
            }
            _ => None,
        })
        .collect();
    let options = RouteOptions {
        converters,
        ..RouteOptions::default()
    };
    CoreRouter::new()
        .insert(rule, options)
        .map(|_| ())
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

#[pymodule(gil_used = false)]
fn _router(m: &Bound<'_, PyModule>) -> PyResult<()> {
    as_utf8::resolve(m.py())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "RouteConflictError",
        m.py().get_type::<RouteConflictError>(),
    )?;
    m.add_class::<RouterBuilder>()?;
    m.add_class::<Router>()?;
    route::add_route_method(&m.py().get_type::<Router>())?;
    m.add_class::<RouterCell>()?;
    m.add_class::<AdapterState>()?;
    m.add_function(wrap_pyfunction!(adapter_method, m)?)?;
    m.add_function(wrap_pyfunction!(check_rule, m)?)?;
    Ok(())
}
