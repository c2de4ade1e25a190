//! `MapAdapter.build` natively: each endpoint's rules as Werkzeug's compiled
//! builders see them (static text quoted once, defaults resolved, variables in
//! order), filled from the values without entering Python for plain `str` and
//! `int` values. Anything else — another value type, a converter's own
//! `to_url`, a query value that is a list — calls the same Python code Werkzeug
//! would, and whatever the native side cannot answer exactly (a `MultiDict`, a
//! missing endpoint, rules added since the last compile) goes to the Python
//! method.
use std::collections::HashMap;

use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyString};
use smallvec::SmallVec;

use super::adapter::AdapterState;
use super::fastcall::OwnedArguments;
use super::{utf8, Router};
use crate::urls::{push_quoted_plus, quote, zfill};

/// How a variable's value becomes URL text: its converter's `to_url`.
enum ToUrl {
    /// `BaseConverter.to_url`: `quote(str(value))`.
    Quote,
    /// `IntegerConverter.to_url`: `str(int(value)).zfill(fixed_digits)`.
    Int { fixed_digits: usize },
    /// `AnyConverter.to_url`: the value itself when it is one of the items.
    Any(Vec<String>),
    /// Any other `to_url`: always called.
    Call,
}

enum Piece {
    /// Text as it appears in the URL (quoted, or a default already converted).
    Text(String),
    Variable {
        name: String,
        converter: Py<PyAny>,
        to_url: ToUrl,
    },
}

/// One rule as `Rule.suitable_for` and `Rule.build` use it.
struct BuildRule {
    rule: Py<PyAny>,
    methods: Option<Vec<String>>,
    /// The rule's arguments that have no default: the values must hold them.
    required: Vec<String>,
    defaults: Vec<(String, Py<PyAny>)>,
    /// The names the rule's builder takes as parameters (its variables and its
    /// defaults' keys); other values go to the query string.
    consumed: Vec<String>,
    domain: Vec<Piece>,
    path: Vec<Piece>,
    websocket: bool,
    /// For a rule with no variables, no domain and a path that is its own
    /// relative URL: that path, made once.
    fixed_path: Option<Py<PyString>>,
}

impl BuildRule {
    fn fixed_path(py: Python<'_>, domain: &[Piece], path: &[Piece]) -> Option<Py<PyString>> {
        let domain_empty = match domain {
            [] => true,
            [Piece::Text(text)] => text.is_empty(),
            _ => false,
        };
        match path {
            [Piece::Text(text)]
                if domain_empty && text.starts_with('/') && !text[1..].starts_with('/') =>
            {
                Some(PyString::new(py, text).unbind())
            }
            _ => None,
        }
    }
}

/// A piece as `kolben.routing.matcher.build_spec` describes it.
#[derive(FromPyObject)]
enum PieceSpec {
    Text(String),
    Variable(String, Py<PyAny>, String, Py<PyAny>),
}

/// A rule as `kolben.routing.matcher.build_spec` describes it.
#[derive(FromPyObject)]
#[allow(clippy::type_complexity)]
pub(crate) struct RuleSpec(
    Py<PyAny>,
    Option<Vec<String>>,
    Vec<String>,
    Vec<(String, Py<PyAny>)>,
    Vec<String>,
    Vec<PieceSpec>,
    Vec<PieceSpec>,
    bool,
);

/// Adjacent text pieces merged, as Werkzeug's builder folds its constants.
fn pieces(py: Python<'_>, specs: Vec<PieceSpec>) -> PyResult<Vec<Piece>> {
    let mut out: Vec<Piece> = Vec::with_capacity(specs.len());
    for spec in specs {
        match spec {
            PieceSpec::Text(text) => {
                if let Some(Piece::Text(previous)) = out.last_mut() {
                    previous.push_str(&text);
                } else {
                    out.push(Piece::Text(text));
                }
            }
            PieceSpec::Variable(name, converter, kind, argument) => {
                let to_url = match kind.as_str() {
                    "quote" => ToUrl::Quote,
                    "int" => ToUrl::Int {
                        fixed_digits: argument.extract(py)?,
                    },
                    "any" => ToUrl::Any(argument.extract(py)?),
                    "call" => ToUrl::Call,
                    other => {
                        return Err(PyTypeError::new_err(format!(
                            "unknown to_url kind {other:?}"
                        )))
                    }
                };
                out.push(Piece::Variable {
                    name,
                    converter,
                    to_url,
                });
            }
        }
    }
    Ok(out)
}

/// Every endpoint's rules, in Werkzeug's build order.
pub(crate) struct BuildTable {
    /// endpoint → index into `endpoints`.
    index: Py<PyDict>,
    /// The same for the endpoints that are plain `str`, looked up without
    /// entering Python.
    names: HashMap<String, usize>,
    /// `None`: an endpoint with a rule only the Python builder handles.
    endpoints: Vec<Option<Vec<BuildRule>>>,
}

impl BuildTable {
    /// From `[(endpoint, [rule spec, ...] | None), ...]`.
    pub(crate) fn new(
        py: Python<'_>,
        specs: Vec<(Py<PyAny>, Option<Vec<RuleSpec>>)>,
    ) -> PyResult<Self> {
        let index = PyDict::new(py);
        let mut names = HashMap::new();
        let mut endpoints = Vec::with_capacity(specs.len());
        for (position, (endpoint, rules)) in specs.into_iter().enumerate() {
            if let Some(name) = plain_str(endpoint.bind(py)) {
                names.insert(name.to_owned(), position);
            }
            index.set_item(endpoint, position)?;
            let rules = match rules {
                Some(rules) => Some(
                    rules
                        .into_iter()
                        .map(|spec| {
                            let RuleSpec(
                                rule,
                                methods,
                                required,
                                defaults,
                                consumed,
                                domain,
                                path,
                                websocket,
                            ) = spec;
                            let domain = pieces(py, domain)?;
                            let path = pieces(py, path)?;
                            Ok(BuildRule {
                                rule,
                                methods,
                                required,
                                defaults,
                                consumed,
                                fixed_path: BuildRule::fixed_path(py, &domain, &path),
                                domain,
                                path,
                                websocket,
                            })
                        })
                        .collect::<PyResult<Vec<_>>>()?,
                ),
                None => None,
            };
            endpoints.push(rules);
        }
        Ok(Self {
            index: index.unbind(),
            names,
            endpoints,
        })
    }

    fn rules<'t>(&'t self, endpoint: &Bound<'_, PyAny>) -> Option<&'t [BuildRule]> {
        let named = plain_str(endpoint).and_then(|name| self.names.get(name));
        let position = match named {
            Some(&position) => position,
            // Python's lookup also finds a key equal to a `str` of another type.
            None => {
                let position = self.index.bind(endpoint.py()).get_item(endpoint).ok()??;
                position.extract().ok()?
            }
        };
        self.endpoints.get(position)?.as_deref()
    }
}

/// Why the native builder stopped: the Python method must answer, or an
/// exception to raise as Werkzeug would have.
enum Stop {
    Python,
    Raise(PyErr),
}

impl From<PyErr> for Stop {
    fn from(error: PyErr) -> Self {
        Stop::Raise(error)
    }
}

type Native<T> = Result<T, Stop>;

/// The build values with `None`s dropped, as `MapAdapter.build` keeps them.
struct Values<'a, 'py> {
    names: &'a [&'a str],
    values: &'a [Bound<'py, PyAny>],
}

impl<'py> Values<'_, 'py> {
    fn get(&self, name: &str) -> Option<&Bound<'py, PyAny>> {
        self.names
            .iter()
            .position(|n| *n == name)
            .map(|i| &self.values[i])
    }
}

/// The decimal text of a plain `int` (not a subclass such as `bool`), if it
/// fits in an `i64`.
fn plain_int(value: &Bound<'_, PyAny>) -> Option<i64> {
    if value.is_exact_instance_of::<PyInt>() {
        value.extract().ok()
    } else {
        None
    }
}

fn plain_str<'a>(value: &'a Bound<'_, PyAny>) -> Option<&'a str> {
    if value.is_exact_instance_of::<PyString>() {
        utf8(value.cast::<PyString>().ok()?)
    } else {
        None
    }
}

/// The URL text of one variable, or `None` when the converter raised
/// `ValidationError` (the rule does not build).
fn to_url(
    py: Python<'_>,
    router: &Router,
    converter: &Py<PyAny>,
    to_url: &ToUrl,
    value: &Bound<'_, PyAny>,
    out: &mut String,
) -> Native<bool> {
    match to_url {
        ToUrl::Quote => {
            if let Some(text) = plain_str(value) {
                out.push_str(&quote(text));
                return Ok(true);
            }
            if let Some(number) = plain_int(value) {
                out.push_str(&number.to_string());
                return Ok(true);
            }
        }
        ToUrl::Int { fixed_digits } => {
            if let Some(number) = plain_int(value) {
                out.push_str(&zfill(number.to_string(), *fixed_digits));
                return Ok(true);
            }
        }
        ToUrl::Any(items) => {
            if let Some(text) = plain_str(value) {
                if items.iter().any(|item| item == text) {
                    out.push_str(text);
                    return Ok(true);
                }
            }
        }
        ToUrl::Call => {}
    }
    let text = match converter
        .bind(py)
        .call_method1(intern!(py, "to_url"), (value,))
    {
        Ok(text) => text,
        Err(error) if error.is_instance(py, router.validation_error(py)) => return Ok(false),
        Err(error) => return Err(Stop::Raise(error)),
    };
    // Werkzeug's builder joins a `str` as it is and does other things with
    // other types (a single part is returned unformatted): those go to Python.
    if !text.is_exact_instance_of::<PyString>() {
        return Err(Stop::Python);
    }
    let text = text.cast_into::<PyString>().map_err(PyErr::from)?;
    out.push_str(utf8(&text).ok_or(Stop::Python)?);
    Ok(true)
}

/// The adapter's state `build` reads, captured when it was bound.
struct Binding<'a> {
    server_name: &'a str,
    subdomain: Option<&'a str>,
    script_name: &'a str,
    default_method: &'a str,
    host_matching: bool,
    /// The map, for its `sort_parameters`.
    map: &'a Bound<'a, PyAny>,
}

struct Builder<'a, 'py> {
    py: Python<'py>,
    router: &'a Router,
    binding: &'a Binding<'a>,
    values: Values<'a, 'py>,
    append_unknown: bool,
}

impl Builder<'_, '_> {
    /// `Rule.suitable_for(values, method)`.
    fn suitable(&self, rule: &BuildRule, method: Option<&str>) -> Native<bool> {
        if let (Some(method), Some(methods)) = (method, &rule.methods) {
            if !methods.iter().any(|m| m == method) {
                return Ok(false);
            }
        }
        if rule
            .required
            .iter()
            .any(|key| self.values.get(key).is_none())
        {
            return Ok(false);
        }
        for (key, default) in &rule.defaults {
            if let Some(value) = self.values.get(key) {
                if default.bind(self.py).ne(value)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The query string of the values the rule does not take (`?` included),
    /// as `Rule._encode_query_vars` writes it.
    fn query(&self, rule: &BuildRule) -> Native<String> {
        let unknown: Vec<usize> = (0..self.values.names.len())
            .filter(|&i| !rule.consumed.iter().any(|c| c == self.values.names[i]))
            .collect();
        if unknown.is_empty() {
            return Ok(String::new());
        }
        let mut params = String::new();
        // Werkzeug sorts several values when the map says so (read per
        // build): Python encodes those.
        let mut native = unknown.len() == 1
            || !self
                .binding
                .map
                .getattr(intern!(self.py, "sort_parameters"))?
                .is_truthy()?;
        for &i in &unknown {
            if !native {
                break;
            }
            let value = &self.values.values[i];
            if !params.is_empty() {
                params.push('&');
            }
            push_quoted_plus(self.values.names[i], &mut params);
            params.push('=');
            if let Some(text) = plain_str(value) {
                push_quoted_plus(text, &mut params);
            } else if let Some(number) = plain_int(value) {
                params.push_str(&number.to_string());
            } else {
                native = false;
            }
        }
        if !native {
            let py = self.py;
            let kwargs = PyDict::new(py);
            for &i in &unknown {
                kwargs.set_item(self.values.names[i], &self.values.values[i])?;
            }
            let encoded = rule
                .rule
                .bind(py)
                .call_method1(intern!(py, "_encode_query_vars"), (kwargs,))?;
            let encoded = encoded.cast_into::<PyString>().map_err(PyErr::from)?;
            params = utf8(&encoded).ok_or(Stop::Python)?.to_owned();
        }
        Ok(if params.is_empty() {
            params
        } else {
            format!("?{params}")
        })
    }

    fn fill(&self, pieces: &[Piece], out: &mut String) -> Native<bool> {
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Variable {
                    name,
                    converter,
                    to_url: kind,
                } => {
                    let value = self.values.get(name).ok_or(Stop::Python)?;
                    if !to_url(self.py, self.router, converter, kind, value, out)? {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }

    /// `Rule.build(values, append_unknown)`: `(domain part, path)`, or `None`
    /// when a converter raised `ValidationError`.
    fn build_rule(&self, rule: &BuildRule) -> Native<Option<(String, String)>> {
        // Werkzeug's builder encodes the query before converting the variables.
        let query = if self.append_unknown {
            self.query(rule)?
        } else {
            String::new()
        };
        if rule.fixed_path.is_some() && query.is_empty() {
            // The caller returns the fixed path itself (see `build_url`).
            return Ok(Some((String::new(), String::new())));
        }
        let mut domain = String::new();
        let mut path = String::with_capacity(64);
        if !self.fill(&rule.domain, &mut domain)? || !self.fill(&rule.path, &mut path)? {
            return Ok(None);
        }
        path.push_str(&query);
        Ok(Some((domain, path)))
    }

    /// `MapAdapter._partial_build`.
    fn partial<'r>(
        &self,
        rules: &'r [BuildRule],
        method: Option<&str>,
    ) -> Native<Option<(String, String, &'r BuildRule)>> {
        if method.is_none() {
            if let Some(found) = self.partial(rules, Some(self.binding.default_method))? {
                return Ok(Some(found));
            }
        }
        let mut first_match = None;
        for rule in rules {
            if !self.suitable(rule, method)? {
                continue;
            }
            if let Some((domain, path)) = self.build_rule(rule)? {
                if !self.binding.host_matching || domain == self.binding.server_name {
                    return Ok(Some((domain, path, rule)));
                }
                if first_match.is_none() {
                    first_match = Some((domain, path, rule));
                }
            }
        }
        Ok(first_match)
    }
}

/// Whether a URL on `domain_part` stays relative (`MapAdapter.build`'s
/// shortcut): on the bound host, or the bound subdomain.
fn same_host(binding: &Binding<'_>, domain_part: &str) -> bool {
    if binding.host_matching {
        domain_part == binding.server_name
    } else {
        binding.subdomain == Some(domain_part)
    }
}

/// Python's `text[:-1]`.
fn drop_last_char(text: &str) -> &str {
    text.char_indices().last().map_or(text, |(i, _)| &text[..i])
}

/// The end of `MapAdapter.build`: the URL for a rule's domain part and path.
fn join_url(
    binding: &Binding<'_>,
    domain_part: &str,
    path: String,
    websocket: bool,
    mut force_external: bool,
    url_scheme: Option<&str>,
) -> String {
    let secure = matches!(url_scheme, Some("https" | "wss"));
    let mut scheme = url_scheme.unwrap_or("");
    if websocket {
        force_external = true;
        scheme = if secure { "wss" } else { "ws" };
    } else if !scheme.is_empty() {
        scheme = if secure { "https" } else { "http" };
    }
    let relative = !force_external && same_host(binding, domain_part);
    let script = binding.script_name.trim_end_matches('/');
    if relative && script.is_empty() && path.starts_with('/') && !path[1..].starts_with('/') {
        // `"/" + path.lstrip("/")` is the path itself.
        return path;
    }
    let path = path.trim_start_matches('/');
    let mut url = String::with_capacity(
        scheme.len()
            + domain_part.len()
            + binding.server_name.len()
            + binding.script_name.len()
            + path.len()
            + 5,
    );
    if relative {
        url.push_str(script);
    } else {
        if !scheme.is_empty() {
            url.push_str(scheme);
            url.push(':');
        }
        url.push_str("//");
        // `MapAdapter.get_host`.
        if binding.host_matching {
            url.push_str(domain_part);
        } else {
            if !domain_part.is_empty() {
                url.push_str(domain_part);
                url.push('.');
            }
            url.push_str(binding.server_name);
        }
        url.push_str(drop_last_char(binding.script_name));
    }
    url.push('/');
    url.push_str(path);
    url
}

/// `Some(text)` for `None`-or-`str` arguments; `Err` for other types and
/// strings the native side cannot hold (lone surrogates).
fn optional_text<'a>(value: &'a Option<Bound<'_, PyAny>>) -> Native<Option<&'a str>> {
    match value {
        Some(value) if !value.is_none() => Ok(Some(plain_str(value).ok_or(Stop::Python)?)),
        _ => Ok(None),
    }
}

fn optional_flag(value: &Option<Bound<'_, PyAny>>, default: bool) -> Native<bool> {
    match value {
        Some(value) => Ok(value.is_truthy()?),
        None => Ok(default),
    }
}

/// `MapAdapter.build` for the adapter whose state is `state`: the URL, or
/// `None` when the Python method must answer (it also raises `BuildError`).
pub(crate) fn build<'py>(
    py: Python<'py>,
    state: &AdapterState,
    arguments: &OwnedArguments<'_>,
) -> PyResult<Option<Bound<'py, PyString>>> {
    match build_url(py, state, arguments) {
        Ok(url) => Ok(Some(url)),
        Err(Stop::Python) => Ok(None),
        Err(Stop::Raise(error)) => Err(error),
    }
}

fn build_url<'py>(
    py: Python<'py>,
    state: &AdapterState,
    arguments: &OwnedArguments<'_>,
) -> Native<Bound<'py, PyString>> {
    let [endpoint, values, method, force_external, append_unknown, url_scheme] = arguments;
    let endpoint = endpoint.as_ref().ok_or(Stop::Python)?;
    let router = state.routers.get().get(py).ok_or(Stop::Python)?;
    let router = router.get();
    let rules = router.builds().rules(endpoint).ok_or(Stop::Python)?;

    let mut keys: SmallVec<[Bound<'_, PyString>; 4]> = SmallVec::new();
    let mut items: SmallVec<[Bound<'_, PyAny>; 4]> = SmallVec::new();
    if let Some(values) = values {
        if !values.is_none() {
            let values = values.cast_exact::<PyDict>().map_err(|_| Stop::Python)?;
            for (key, value) in values.iter() {
                if value.is_none() {
                    continue;
                }
                if !key.is_exact_instance_of::<PyString>() {
                    return Err(Stop::Python);
                }
                keys.push(key.cast_into::<PyString>().map_err(PyErr::from)?);
                items.push(value);
            }
        }
    }
    let names = keys
        .iter()
        .map(utf8)
        .collect::<Option<SmallVec<[&str; 4]>>>()
        .ok_or(Stop::Python)?;

    let method = optional_text(method)?;
    let texts = state.texts.as_ref().ok_or(Stop::Python)?;
    let url_scheme = match optional_text(url_scheme)? {
        Some(scheme) => Some(scheme),
        None => texts.url_scheme.as_deref(),
    };
    let force_external = optional_flag(force_external, false)?;
    let append_unknown = optional_flag(append_unknown, true)?;
    let map = state.map.bind(py).clone();
    let binding = Binding {
        server_name: &texts.server_name,
        subdomain: texts.subdomain.as_deref(),
        script_name: &texts.script_name,
        default_method: &texts.default_method,
        host_matching: state.host_matching,
        map: &map,
    };
    let builder = Builder {
        py,
        router,
        binding: &binding,
        values: Values {
            names: &names,
            values: &items,
        },
        append_unknown,
    };
    let (domain_part, mut path, rule) = builder.partial(rules, method)?.ok_or(Stop::Python)?;
    if let (Some(fixed), true) = (&rule.fixed_path, path.is_empty()) {
        let relative = !rule.websocket && !force_external && same_host(&binding, &domain_part);
        if relative && binding.script_name.trim_end_matches('/').is_empty() {
            return Ok(fixed.bind(py).clone());
        }
        path = utf8(fixed.bind(py)).ok_or(Stop::Python)?.to_owned();
    }
    let url = join_url(
        &binding,
        &domain_part,
        path,
        rule.websocket,
        force_external,
        url_scheme,
    );
    Ok(PyString::new(py, &url))
}
