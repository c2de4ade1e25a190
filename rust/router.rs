//! The public face: add rules, match requests.
use crate::converter::{Converter, Custom};
use crate::error::InsertError;
use crate::methods::{Method, MethodSet};
use crate::params::Params;
use crate::rule::{parse_args, tokenize, Token, Variable};
use crate::tree::{Leaf, Misses, PartBuilder, PartSpec, Request, Tree, Walk};
use crate::urls::Template;

/// How a rule is added; the defaults are Werkzeug's.
#[derive(Debug, Clone)]
pub struct RouteOptions {
    /// The subdomain (or, with host matching, the host) rule; may hold variables.
    pub domain: String,
    /// `None` accepts every method. `HEAD` is added when `GET` is present.
    pub methods: Option<Vec<String>>,
    /// Methods added automatically (Flask's `OPTIONS`): they do not count when
    /// looking for conflicts, since every rule answers them the same way.
    pub implicit_methods: Vec<String>,
    pub websocket: bool,
    /// `/a/` requested as `/a` redirects instead of matching.
    pub strict_slashes: bool,
    /// Runs of slashes in the rule collapse to one; requests with such runs
    /// redirect to the collapsed URL.
    pub merge_slashes: bool,
    /// Converters for the named variables, overriding the built-in ones.
    pub converters: Vec<(String, Custom)>,
    /// Accept the rule even if it conflicts with an earlier one, which then
    /// keeps answering the URLs and methods both match (Werkzeug's order).
    pub allow_conflict: bool,
}

impl Default for RouteOptions {
    fn default() -> Self {
        Self {
            domain: String::new(),
            methods: None,
            implicit_methods: Vec::new(),
            websocket: false,
            strict_slashes: true,
            merge_slashes: true,
            converters: Vec::new(),
            allow_conflict: false,
        }
    }
}

/// A rule in the router.
#[derive(Debug, Clone)]
pub struct Route {
    pub rule: String,
    pub domain: String,
    /// Variable names and converters, host first, in rule order (the order of
    /// a match's values).
    pub variables: Vec<(String, Converter)>,
    pub(crate) leaf: Leaf,
    implicit: MethodSet,
    pub merge_slashes: bool,
    pub(crate) template: Template,
}

impl Route {
    pub fn methods(&self) -> Option<Vec<String>> {
        self.leaf.methods.as_ref().map(MethodSet::names)
    }
}

/// The outcome of a match. Misses are values, not errors.
#[derive(Debug)]
pub enum Outcome<'p> {
    /// Route index and the raw values of its variables, in rule order.
    Found { route: usize, values: Params<'p> },
    /// Redirect to this path: a missing trailing slash or merged slashes.
    Redirect(String),
    /// No rule matched. `allowed` holds the methods of rules that matched the
    /// path with another method (405 when not empty).
    NotFound {
        allowed: MethodSet,
        websocket_mismatch: bool,
    },
}

/// A set of rules matched with Werkzeug's semantics.
#[derive(Debug, Clone)]
pub struct Router {
    tree: Tree,
    routes: Vec<Route>,
    leaves: Vec<Leaf>,
    merge_slashes: bool,
}

impl Default for Router {
    fn default() -> Self {
        Self::new()
    }
}

fn collapse_slashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// Whether [`Converter::validate`] can refuse a value of this converter: only
/// int's digit count and bounds and float's bounds are checked after the match.
fn checks_values(converter: &Converter) -> bool {
    match converter {
        Converter::Int {
            fixed_digits,
            min,
            max,
            ..
        } => *fixed_digits != 0 || min.is_some() || max.is_some(),
        Converter::Float { min, max, .. } => min.is_some() || max.is_some(),
        _ => false,
    }
}

struct Parsed {
    parts: Vec<PartSpec>,
    variables: Vec<(String, Converter)>,
}

impl Router {
    pub fn new() -> Self {
        Self {
            tree: Tree::default(),
            routes: Vec::new(),
            leaves: Vec::new(),
            merge_slashes: true,
        }
    }

    /// Whether any route is a websocket route. Without one, the websocket flag
    /// of a request changes only the answer to a path some route matched.
    pub fn has_websocket_routes(&self) -> bool {
        self.leaves.iter().any(|leaf| leaf.websocket)
    }

    /// Whether requests with runs of slashes are retried with them merged.
    pub fn set_merge_slashes(&mut self, merge: bool) {
        self.merge_slashes = merge;
    }

    /// The tree and the routes' leaves, for the walk's own tests.
    #[cfg(test)]
    pub(crate) fn tree(&self) -> (&Tree, &[Leaf]) {
        (&self.tree, &self.leaves)
    }

    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    pub fn route(&self, index: usize) -> Option<&Route> {
        self.routes.get(index)
    }

    /// Adds a rule; returns its index. Fails on malformed rules, bad converter
    /// arguments and rules that match exactly the URLs of an earlier one.
    pub fn insert(&mut self, rule: &str, options: RouteOptions) -> Result<usize, InsertError> {
        if !rule.starts_with('/') {
            return Err(InsertError::InvalidRule {
                rule: rule.to_owned(),
                pos: 0,
                message: "a rule must start with '/'".to_owned(),
            });
        }
        let text = if options.merge_slashes {
            collapse_slashes(rule)
        } else {
            rule.to_owned()
        };
        let mut parsed = Parsed {
            parts: Vec::new(),
            variables: Vec::new(),
        };
        if options.domain.is_empty() {
            parsed.parts.push(PartSpec::Static(String::new()));
        } else {
            parse_into(&options.domain, &options, true, &mut parsed)?;
        }
        let domain_variables = parsed.variables.len();
        parse_into(&text, &options, false, &mut parsed)?;
        let template = Template::new(
            &options.domain,
            &text,
            &parsed.variables[..domain_variables],
            &parsed.variables[domain_variables..],
        );

        let leaf = Leaf {
            methods: options.methods.as_deref().map(MethodSet::from_names),
            websocket: options.websocket,
            strict_slashes: options.strict_slashes,
            validates: parsed.variables.iter().any(|(_, c)| checks_values(c)),
        };
        let implicit = MethodSet::from_names(&options.implicit_methods);
        let node = self.tree.insert(parsed.parts);
        let checked: &[usize] = if options.allow_conflict {
            &[]
        } else {
            &self.tree.node(node).routes
        };
        for &other in checked {
            if let Some(methods) = self.overlap(other, &leaf, &implicit) {
                return Err(InsertError::Conflict {
                    rule: rule.to_owned(),
                    with: self.routes[other].rule.clone(),
                    with_index: other,
                    methods,
                });
            }
        }
        let index = self.routes.len();
        self.tree.node_mut(node).routes.push(index);
        self.leaves.push(leaf.clone());
        self.routes.push(Route {
            rule: rule.to_owned(),
            domain: options.domain,
            variables: parsed.variables,
            leaf,
            implicit,
            merge_slashes: options.merge_slashes,
            template,
        });
        Ok(index)
    }

    /// The methods both routes answer (empty: every method), if they overlap.
    fn overlap(&self, other: usize, leaf: &Leaf, implicit: &MethodSet) -> Option<Vec<String>> {
        let existing = &self.routes[other];
        if existing.leaf.websocket != leaf.websocket {
            return None;
        }
        let mine = leaf.methods.as_ref().map(|m| m.difference(implicit));
        let theirs = existing
            .leaf
            .methods
            .as_ref()
            .map(|m| m.difference(&existing.implicit));
        let common = match (mine, theirs) {
            (None, None) => return Some(Vec::new()),
            (Some(m), None) | (None, Some(m)) => m,
            (Some(a), Some(b)) => a.intersection(&b),
        };
        (!common.is_empty()).then(|| common.names())
    }

    /// Matches a request. `domain` is the subdomain (or the host, with host
    /// matching; empty when neither is used), `path` starts with `/`, `method`
    /// is upper case.
    #[inline]
    pub fn at<'p>(
        &self,
        domain: &'p str,
        path: &'p str,
        method: &'p str,
        websocket: bool,
    ) -> Outcome<'p> {
        self.at_method(domain, path, Method::new(method), websocket)
    }

    /// [`Router::at`] with the method resolved.
    #[inline(always)]
    pub fn at_method<'p>(
        &self,
        domain: &'p str,
        path: &'p str,
        method: Method<'p>,
        websocket: bool,
    ) -> Outcome<'p> {
        #[cfg(feature = "fault-injection")]
        crate::fault::check(path);
        let req = Request {
            domain,
            path,
            method,
            websocket,
        };
        let mut misses = Misses::default();
        let mut values = Params::new();
        // The usual answers here; the rest out of line.
        match self.tree.walk(&req, &self.leaves, &mut values, &mut misses) {
            Walk::Found(route) if !self.leaves[route].validates => Outcome::Found { route, values },
            Walk::Miss { slash_run: false } => Outcome::NotFound {
                allowed: misses.allowed,
                websocket_mismatch: misses.websocket_mismatch,
            },
            walk => self.settle(&req, walk, values, misses),
        }
    }

    /// [`Router::at`]'s outcome of a walk that found a route whose values must
    /// be checked, a path missing its trailing slash, or a miss on a path with
    /// runs of slashes.
    #[inline(never)]
    fn settle<'p>(
        &self,
        req: &Request<'p>,
        walk: Walk,
        values: Params<'p>,
        mut misses: Misses,
    ) -> Outcome<'p> {
        let path = req.path;
        match walk {
            Walk::Found(route) => {
                let valid = self.routes[route]
                    .variables
                    .iter()
                    .zip(values.iter())
                    .all(|((_, converter), value)| converter.validate(value));
                if valid {
                    return Outcome::Found { route, values };
                }
            }
            Walk::SlashRequired => return Outcome::Redirect(format!("{path}/")),
            Walk::Miss { slash_run: true } if self.merge_slashes => {
                let merged = collapse_slashes(path);
                let req = Request {
                    path: &merged,
                    ..*req
                };
                let mut values = Params::new();
                match self.tree.walk(&req, &self.leaves, &mut values, &mut misses) {
                    Walk::SlashRequired => return Outcome::Redirect(format!("{merged}/")),
                    Walk::Found(route) if self.routes[route].merge_slashes => {
                        return Outcome::Redirect(merged.clone());
                    }
                    _ => {}
                }
            }
            Walk::Miss { .. } => {}
        }
        Outcome::NotFound {
            allowed: misses.allowed,
            websocket_mismatch: misses.websocket_mismatch,
        }
    }
}

/// Parses one rule text (host or path) into parts and variables.
fn parse_into(
    text: &str,
    options: &RouteOptions,
    is_domain: bool,
    parsed: &mut Parsed,
) -> Result<(), InsertError> {
    let rule_for_errors = || {
        if is_domain {
            options.domain.clone()
        } else {
            text.to_owned()
        }
    };
    let tokens = tokenize(text).map_err(|e| InsertError::InvalidRule {
        rule: rule_for_errors(),
        pos: e.pos,
        message: e.message,
    })?;
    let mut part = PartBuilder::new();
    for token in tokens {
        match token {
            Token::Slash if part.final_ => part.push_slash(),
            Token::Slash => {
                let done = std::mem::replace(&mut part, PartBuilder::new());
                let specs = done.finish(false).map_err(|e| InsertError::InvalidRegex {
                    rule: rule_for_errors(),
                    pos: 0,
                    message: e.to_string(),
                })?;
                parsed.parts.extend(specs);
            }
            Token::Static(static_text) => part.push_static(static_text),
            Token::Variable(var) => {
                if parsed.variables.iter().any(|(name, _)| name == var.name) {
                    return Err(InsertError::InvalidRule {
                        rule: rule_for_errors(),
                        pos: var.pos,
                        message: format!("the variable {:?} appears twice", var.name),
                    });
                }
                let converter = resolve(&var, options).map_err(|e| match e {
                    Resolve::Unknown => InsertError::UnknownConverter {
                        rule: rule_for_errors(),
                        pos: var.pos,
                        name: var.converter.to_owned(),
                    },
                    Resolve::Arguments(message) => InsertError::InvalidArguments {
                        rule: rule_for_errors(),
                        pos: var.pos,
                        converter: var.converter.to_owned(),
                        message,
                    },
                })?;
                if is_domain && !converter.part_isolating() {
                    return Err(InsertError::InvalidRule {
                        rule: rule_for_errors(),
                        pos: var.pos,
                        message:
                            "a converter that matches '/' cannot be used in a host or subdomain"
                                .to_owned(),
                    });
                }
                part.push_converter(converter.clone());
                parsed.variables.push((var.name.to_owned(), converter));
            }
        }
    }
    let rule = rule_for_errors();
    let specs = part.finish(true).map_err(|e| InsertError::InvalidRegex {
        rule,
        pos: 0,
        message: e.to_string(),
    })?;
    parsed.parts.extend(specs);
    Ok(())
}

enum Resolve {
    Unknown,
    Arguments(String),
}

fn resolve(var: &Variable<'_>, options: &RouteOptions) -> Result<Converter, Resolve> {
    if let Some((_, custom)) = options.converters.iter().find(|(n, _)| n == var.name) {
        return Ok(Converter::Custom(custom.clone()));
    }
    let args = match var.args {
        Some(text) => parse_args(text).map_err(|e| Resolve::Arguments(e.message))?,
        None => Default::default(),
    };
    Converter::builtin(var.converter, &args)
        .map_err(Resolve::Arguments)?
        .ok_or(Resolve::Unknown)
}
