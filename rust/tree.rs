//! The tree: nodes per path segment (the host is the first), static children in a
//! table, dynamic children in Werkzeug's weight order; matched by one iterative
//! loop with an explicit stack of nodes to backtrack to.
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use regex::Regex;
use smallvec::SmallVec;

use crate::converter::{python_escape, Converter};
use crate::methods::{Method, MethodSet};
use crate::params::Params;

pub(crate) type NodeId = u32;

/// Above this many static children a node indexes them in a hash map.
const SCAN_LIMIT: usize = 8;

/// Werkzeug's `Weighting`: static parts first (more and longer static text sorts
/// earlier), then the converters' weights. Compared as Python compares tuples.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Weight {
    pub neg_statics: i64,
    pub statics: Vec<(i64, i64)>,
    pub neg_args: i64,
    pub args: Vec<i64>,
}

/// How a dynamic part tests its target.
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// One built-in converter filling the whole target.
    Native(Converter),
    /// An anchored expression and the indices of its value groups, in order
    /// (a custom converter's regex may have groups of its own).
    Regex(Regex, Vec<usize>),
}

/// A dynamic edge: what one part of a rule accepts.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// Werkzeug's expression for the part: equal keys share a node.
    pub key: String,
    /// Consumes the rest of the path (a converter in it matches `/`).
    pub final_: bool,
    /// A final part written with a trailing slash: it also matches without the
    /// slash, so that the missing slash can be reported as a redirect.
    pub suffixed: bool,
    pub weight: Weight,
    pub matcher: Matcher,
}

impl Part {
    fn test<'p>(&self, target: &'p str, values: &mut Params<'p>) -> bool {
        match &self.matcher {
            Matcher::Native(converter) => {
                if converter.matches(target) {
                    values.push(target);
                    true
                } else {
                    false
                }
            }
            Matcher::Regex(re, groups) => match re.captures(target) {
                Some(caps) => {
                    for &i in groups {
                        values.push(caps.get(i).map_or("", |m| m.as_str()));
                    }
                    true
                }
                None => false,
            },
        }
    }
}

/// FxHash (rustc's hasher): a multiply and a rotate per word, where the default
/// SipHash costs more than the rest of a static lookup. Flooding is not a concern:
/// the tables hold only the rules' text and are never written to while serving,
/// so a request's key can cost at most one probe sequence of a fixed table.
#[derive(Default)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A static child: its text and node, with the text's first byte (0 for the
/// empty text) so that most misses of a scan end on one byte compare.
#[derive(Debug, Clone)]
struct Entry {
    first: u8,
    key: Box<str>,
    node: NodeId,
}

type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The end nodes of a domain's all-static rules, by path.
type ExactPaths = FxHashMap<Box<str>, NodeId>;

/// Static children: scanned when few, hashed when many.
#[derive(Debug, Clone, Default)]
struct Statics {
    entries: Vec<Entry>,
    index: Option<FxHashMap<Box<str>, NodeId>>,
}

fn first_byte(key: &str) -> u8 {
    key.as_bytes().first().copied().unwrap_or(0)
}

impl Statics {
    #[inline]
    fn get(&self, key: &str) -> Option<NodeId> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => {
                let first = first_byte(key);
                for entry in &self.entries {
                    if entry.first == first && *entry.key == *key {
                        return Some(entry.node);
                    }
                }
                None
            }
        }
    }

    fn insert(&mut self, key: &str, node: NodeId) {
        self.entries.push(Entry {
            first: first_byte(key),
            key: key.into(),
            node,
        });
        if let Some(index) = &mut self.index {
            index.insert(key.into(), node);
        } else if self.entries.len() > SCAN_LIMIT {
            let index = self.entries.iter().map(|e| (e.key.clone(), e.node));
            self.index = Some(index.collect());
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    statics: Statics,
    /// (part, child) in weight order; equal weights keep insertion order.
    dynamics: Vec<(u32, NodeId)>,
    /// Routes ending here, in insertion order: the first suitable one wins.
    pub routes: Vec<usize>,
}

/// What the walk needs to know of a route.
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub methods: Option<MethodSet>,
    pub websocket: bool,
    pub strict_slashes: bool,
}

/// The request, as the walk sees it.
pub(crate) struct Request<'p> {
    pub domain: &'p str,
    pub path: &'p str,
    pub method: Method<'p>,
    pub websocket: bool,
}

/// What a walk collects besides the match: methods that would have matched
/// (for 405) and whether only the websocket flag was wrong.
#[derive(Debug, Default)]
pub(crate) struct Misses {
    pub allowed: MethodSet,
    pub websocket_mismatch: bool,
}

pub(crate) enum Walk<'p> {
    Found {
        route: usize,
        values: Params<'p>,
    },
    /// The path matches a strict-slashes rule once a `/` is appended.
    SlashRequired,
    Miss,
}

/// Where the walk is: which parts remain.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cursor {
    /// The host (or subdomain), then the whole path.
    Domain,
    /// The path's parts from this byte offset (`path[at..].split('/')`).
    At(usize),
    /// No parts left.
    End,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    node: NodeId,
    cursor: Cursor,
    /// 0: try the static child; 1+i: try dynamic child i; past them: give up.
    stage: u32,
    /// Values captured on the way to this node.
    values_len: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Tree {
    nodes: Vec<Node>,
    parts: Vec<Part>,
    /// The end node of every all-static rule, by domain and then by path: one
    /// hash lookup finds the node the walk would reach first (it tries static
    /// children before dynamic ones at every step).
    /// Domains are few, so they are scanned, the default (`""`) usually first.
    exact: Vec<(Box<str>, ExactPaths)>,
}

impl Default for Tree {
    fn default() -> Self {
        Self {
            nodes: vec![Node::default()],
            parts: Vec::new(),
            exact: Vec::new(),
        }
    }
}

/// One part of a rule, as given to [`Tree::insert`].
pub(crate) enum PartSpec {
    Static(String),
    Dynamic(Part),
}

impl Tree {
    /// Follows (creating as needed) the nodes for `parts`; returns the last node.
    pub fn insert(&mut self, parts: Vec<PartSpec>) -> NodeId {
        let exact_key = exact_key(&parts);
        let mut node: NodeId = 0;
        for part in parts {
            node = match part {
                PartSpec::Static(text) => match self.nodes[node as usize].statics.get(&text) {
                    Some(child) => child,
                    None => {
                        let child = self.new_node();
                        self.nodes[node as usize].statics.insert(&text, child);
                        child
                    }
                },
                PartSpec::Dynamic(part) => {
                    let existing = self.nodes[node as usize]
                        .dynamics
                        .iter()
                        .find(|(p, _)| {
                            let p = &self.parts[*p as usize];
                            p.key == part.key
                                && p.final_ == part.final_
                                && p.suffixed == part.suffixed
                                && p.weight == part.weight
                        })
                        .map(|(_, child)| *child);
                    match existing {
                        Some(child) => child,
                        None => {
                            let child = self.new_node();
                            let id = self.parts.len() as u32;
                            let weight = part.weight.clone();
                            self.parts.push(part);
                            let parts = &self.parts;
                            let dynamics = &mut self.nodes[node as usize].dynamics;
                            // Stable: after every child of equal or lower weight.
                            let at = dynamics
                                .iter()
                                .position(|(p, _)| parts[*p as usize].weight > weight)
                                .unwrap_or(dynamics.len());
                            dynamics.insert(at, (id, child));
                            child
                        }
                    }
                }
            };
        }
        if let Some((domain, path)) = exact_key {
            let at = match self.exact.iter().position(|(d, _)| *d == domain) {
                Some(at) => at,
                None => {
                    self.exact.push((domain, FxHashMap::default()));
                    self.exact.len() - 1
                }
            };
            self.exact[at].1.insert(path, node);
        }
        node
    }

    fn new_node(&mut self) -> NodeId {
        self.nodes.push(Node::default());
        (self.nodes.len() - 1) as NodeId
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    /// Werkzeug's state-machine match: at each node the static child first, then
    /// the dynamic children in weight order, backtracking on failure.
    pub fn walk<'p>(&self, req: &Request<'p>, leaves: &[Leaf], misses: &mut Misses) -> Walk<'p> {
        let path = req.path;
        let suitable = |route: usize, misses: &mut Misses| -> bool {
            let leaf = &leaves[route];
            if let Some(methods) = &leaf.methods {
                if !methods.contains(req.method) {
                    misses.allowed.extend(methods);
                    return false;
                }
            }
            if leaf.websocket != req.websocket {
                misses.websocket_mismatch = true;
                return false;
            }
            true
        };

        let mut values = Params::new();
        let exact = self
            .exact
            .iter()
            .find(|(domain, _)| **domain == *req.domain);
        if let Some(&node) = exact.and_then(|(_, paths)| paths.get(path)) {
            for &route in &self.nodes[node as usize].routes {
                if suitable(route, misses) {
                    return Walk::Found { route, values };
                }
            }
        }
        // Deep enough for most tables without touching the heap.
        let mut stack: SmallVec<[Frame; 16]> = SmallVec::new();
        stack.push(Frame {
            node: 0,
            cursor: Cursor::Domain,
            stage: 0,
            values_len: 0,
        });

        'walk: while let Some(frame) = stack.last_mut() {
            let node = &self.nodes[frame.node as usize];
            let (part, next) = match frame.cursor {
                Cursor::End => {
                    values.truncate(frame.values_len);
                    for &route in &node.routes {
                        if suitable(route, misses) {
                            return Walk::Found { route, values };
                        }
                    }
                    if let Some(slash) = node.statics.get("") {
                        for &route in &self.nodes[slash as usize].routes {
                            let leaf = &leaves[route];
                            let method_ok =
                                leaf.methods.as_ref().is_none_or(|m| m.contains(req.method));
                            if leaf.websocket == req.websocket && method_ok {
                                if leaf.strict_slashes {
                                    return Walk::SlashRequired;
                                }
                                return Walk::Found { route, values };
                            }
                        }
                    }
                    stack.pop();
                    continue;
                }
                Cursor::Domain => (req.domain, Cursor::At(0)),
                Cursor::At(at) => match path.as_bytes()[at..].iter().position(|&b| b == b'/') {
                    Some(n) => (&path[at..at + n], Cursor::At(at + n + 1)),
                    None => (&path[at..], Cursor::End),
                },
            };

            if frame.stage == 0 {
                frame.stage = 1;
                if let Some(child) = node.statics.get(part) {
                    let values_len = frame.values_len;
                    let child = Frame {
                        node: child,
                        cursor: next,
                        stage: 0,
                        values_len,
                    };
                    // Nothing to come back to (no dynamic child, not the empty
                    // last part): the child takes this frame's place.
                    if node.dynamics.is_empty() && frame.cursor != Cursor::At(path.len()) {
                        *frame = child;
                    } else {
                        stack.push(child);
                    }
                    continue;
                }
            }

            while let Some(&(part_id, child)) = node.dynamics.get(frame.stage as usize - 1) {
                frame.stage += 1;
                values.truncate(frame.values_len);
                let spec = &self.parts[part_id as usize];
                let (target, remaining) = match (spec.final_, frame.cursor) {
                    (true, Cursor::At(at)) => (&path[at..], Cursor::End),
                    _ => (part, next),
                };
                let matched = if spec.suffixed {
                    match target.strip_suffix('/') {
                        Some(body) if !body.ends_with('/') => spec
                            .test(body, &mut values)
                            .then_some(Cursor::At(path.len())),
                        Some(_) => None,
                        None => spec.test(target, &mut values).then_some(Cursor::End),
                    }
                } else {
                    spec.test(target, &mut values).then_some(remaining)
                };
                if let Some(cursor) = matched {
                    let values_len = values.len();
                    stack.push(Frame {
                        node: child,
                        cursor,
                        stage: 0,
                        values_len,
                    });
                    continue 'walk;
                }
            }

            // Only an empty last part is left: rules without strict slashes match.
            if frame.cursor == Cursor::At(path.len()) {
                values.truncate(frame.values_len);
                for &route in &node.routes {
                    if !leaves[route].strict_slashes && suitable(route, misses) {
                        return Walk::Found { route, values };
                    }
                }
            }
            stack.pop();
        }
        Walk::Miss
    }
}

/// The (domain, path) an all-static rule matches exactly, if it is all static.
fn exact_key(parts: &[PartSpec]) -> Option<(Box<str>, Box<str>)> {
    let mut texts = parts.iter().map(|part| match part {
        PartSpec::Static(text) => Some(text.as_str()),
        PartSpec::Dynamic(_) => None,
    });
    let domain = texts.next()??;
    let path: Option<Vec<&str>> = texts.collect();
    Some((domain.into(), path?.join("/").into()))
}

/// Builds a part's expression key and matcher from its pieces.
pub(crate) struct PartBuilder {
    key: String,
    engine: String,
    converters: Vec<Converter>,
    pub statics: Vec<(i64, i64)>,
    pub args: Vec<i64>,
    pub final_: bool,
    pub is_static: bool,
    /// The raw text while the part is still static.
    pub text: String,
    /// The part's last piece is a `/` (only in final parts).
    pub ends_with_slash: bool,
}

impl PartBuilder {
    pub fn new() -> Self {
        Self {
            key: String::new(),
            engine: String::new(),
            converters: Vec::new(),
            statics: Vec::new(),
            args: Vec::new(),
            final_: false,
            is_static: true,
            text: String::new(),
            ends_with_slash: false,
        }
    }

    pub fn push_static(&mut self, text: &str) {
        self.statics
            .push((self.statics.len() as i64, -(text.chars().count() as i64)));
        self.push_text(text);
        self.ends_with_slash = false;
    }

    /// A `/` inside a final part.
    pub fn push_slash(&mut self) {
        self.push_text("/");
        self.ends_with_slash = true;
    }

    fn push_text(&mut self, text: &str) {
        self.text.push_str(text);
        self.key.push_str(&python_escape(text));
        self.engine.push_str(&regex::escape(text));
    }

    pub fn push_converter(&mut self, converter: Converter) {
        let n = self.converters.len();
        self.key
            .push_str(&format!("(?P<__werkzeug_{n}>{})", converter.regex()));
        self.engine
            .push_str(&format!("(?P<__kolben_{n}>{})", converter.engine_regex()));
        if !converter.part_isolating() {
            self.final_ = true;
        }
        self.args.push(converter.weight());
        self.converters.push(converter);
        self.is_static = false;
        self.ends_with_slash = false;
    }

    fn weight(&self) -> Weight {
        Weight {
            neg_statics: -(self.statics.len() as i64),
            statics: self.statics.clone(),
            neg_args: -(self.args.len() as i64),
            args: self.args.clone(),
        }
    }

    /// Finishes the part; `last` is true for the rule's last part, where a final
    /// part ending in `/` becomes suffixed. Returns the part and, for a suffixed
    /// one, the extra empty static part Werkzeug adds after it.
    pub fn finish(mut self, last: bool) -> Result<Vec<PartSpec>, regex::Error> {
        if self.is_static {
            return Ok(vec![PartSpec::Static(self.text)]);
        }
        let weight = self.weight();
        let suffixed = last && self.final_ && self.ends_with_slash;
        if suffixed {
            // Match the body without its trailing `/`; the walk handles the slash.
            self.engine.truncate(self.engine.len() - 1);
            self.key.truncate(self.key.len() - 1);
            self.key.push_str("(?<!/)(/?)");
        }
        self.key.push_str("\\Z");
        let body_is_one_converter = self.converters.len() == 1
            && self.engine == format!("(?P<__kolben_0>{})", self.converters[0].engine_regex());
        let matcher = if body_is_one_converter && self.converters[0].is_native() {
            Matcher::Native(self.converters.swap_remove(0))
        } else {
            let re = Regex::new(&format!("^(?:{})$", self.engine))?;
            let groups = (0..self.converters.len())
                .map(|n| {
                    let name = format!("__kolben_{n}");
                    re.capture_names()
                        .position(|g| g == Some(name.as_str()))
                        .unwrap_or(0)
                })
                .collect();
            Matcher::Regex(re, groups)
        };
        let part = Part {
            key: self.key,
            final_: self.final_,
            suffixed,
            weight,
            matcher,
        };
        let mut specs = vec![PartSpec::Dynamic(part)];
        if suffixed {
            specs.push(PartSpec::Static(String::new()));
        }
        Ok(specs)
    }
}
