//! The tree: nodes per path segment (the host is the first), static children in a
//! [`Table`], dynamic children in Werkzeug's weight order; matched by one iterative
//! loop with an explicit stack of nodes to backtrack to.
use regex::Regex;
use smallvec::SmallVec;

use crate::converter::{python_escape, Converter};
use crate::methods::{Method, MethodSet};
use crate::params::Params;
use crate::table::{same_bytes, segment, word, Table, ONES};

mod lean;

pub(crate) type NodeId = u32;

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
    /// Accepts any non-empty target (the default `string` converter): the
    /// matcher need not run.
    pub any: bool,
}

impl Part {
    #[inline]
    fn test<'p>(&self, target: &'p str, values: &mut Params<'p>) -> bool {
        if self.any {
            if target.is_empty() {
                return false;
            }
            values.push(target);
            return true;
        }
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

/// The end nodes of a domain's all-static rules, by path.
type ExactPaths = Table;

/// Static children by their text.
type Statics = Table;

#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    statics: Statics,
    /// The static child for the empty part (a trailing `/`), looked up at every
    /// end of a path.
    empty: Option<NodeId>,
    /// (part, child) in weight order; equal weights keep insertion order.
    dynamics: Vec<(u32, NodeId)>,
    /// The dynamic children as the lean walk sees them.
    lone: Lone,
    /// The static children below, when each has a single one and no dynamic
    /// one: the lean walk follows them with one comparison.
    chain: Option<Chain>,
    /// Routes ending here, in insertion order: the first suitable one wins.
    pub routes: Vec<usize>,
}

/// A node's dynamic children, for [`Tree::walk_lean`]: none, a single one that
/// tests one path segment, or anything else (left to the full walk).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Lone {
    #[default]
    None,
    One {
        part: u32,
        child: NodeId,
    },
    Many,
}

/// A run of static children, each its parent's only child: their texts joined
/// by `/`, and the node they lead to.
#[derive(Debug, Clone)]
struct Chain {
    text: Box<[u8]>,
    to: NodeId,
    /// The run is one child long.
    single: bool,
}

/// How a path meets a [`Chain`].
enum Chase {
    /// The path's segments are the chain's: the node they lead to, and where
    /// the path continues (past its end when they end it).
    Along(NodeId, usize),
    /// The (non-empty) segment is not the only static child's, and there is
    /// no other child.
    Off,
    /// The path leaves the chain further down, or ends: a step at a time.
    Unsure,
}

impl Chain {
    /// How the path from `at` (not past its end) meets the chain.
    #[inline]
    fn follow(&self, bytes: &[u8], at: usize) -> Chase {
        let end = at + self.text.len();
        let whole = bytes
            .get(at..end)
            .is_some_and(|part| same_bytes(part, &self.text));
        if whole && bytes.get(end).is_none_or(|&b| b == b'/') {
            Chase::Along(self.to, end + 1)
        } else if self.single && bytes.get(at).is_some_and(|&b| b != b'/') {
            Chase::Off
        } else {
            Chase::Unsure
        }
    }
}

/// What the walk needs to know of a route.
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub methods: Option<MethodSet>,
    pub websocket: bool,
    pub strict_slashes: bool,
    /// Some converter checks bounds or digits on the matched value
    /// ([`crate::Converter::validate`]).
    pub validates: bool,
}

impl Leaf {
    /// Whether the route answers the request's method and websocket flag;
    /// records why not in `misses`.
    #[inline]
    fn suits(&self, req: &Request<'_>, misses: &mut Misses) -> bool {
        if let Some(methods) = &self.methods {
            if !methods.contains(req.method) {
                misses.allowed.extend(methods);
                return false;
            }
        }
        if self.websocket != req.websocket {
            misses.websocket_mismatch = true;
            return false;
        }
        true
    }
}

/// The request, as the walk sees it.
#[derive(Clone, Copy)]
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

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Walk {
    /// The route; its values are in the walk's `Params`.
    Found(usize),
    /// The path matches a strict-slashes rule once a `/` is appended.
    SlashRequired,
    /// No route; `slash_run`: the path holds `//` (merging may match).
    Miss { slash_run: bool },
}

/// `Frame::at` of the domain part: the host (or subdomain), then the whole path.
const DOMAIN: usize = usize::MAX;
/// `Frame::at` when no parts are left.
const END: usize = usize::MAX - 1;

/// A node to come back to: its dynamic children from `stage` on are untried.
#[derive(Debug, Clone, Copy)]
struct Frame {
    node: NodeId,
    /// The next dynamic child to try.
    stage: u32,
    /// Where the node's part starts in the path ([`DOMAIN`] for the host).
    at: usize,
    /// Where the node's part ends (the next `/` or the path's end).
    end: usize,
    /// Values captured on the way to this node.
    values_len: usize,
}

/// Whether `bytes` hold `//`: eight bytes at a time, each window overlapping
/// the next by at least one byte so that no pair is missed, the last one
/// ending at the end.
pub(crate) fn has_slash_run(bytes: &[u8]) -> bool {
    const LOW: u64 = ONES * 0x7f;
    let has_pair = |window: &[u8]| {
        let x = word(window) ^ (ONES * u64::from(b'/'));
        // Exactly the bytes that are `/` get their high bit set.
        let slashes = !(((x & LOW) + LOW) | x) & !LOW;
        slashes & (slashes >> 8) != 0
    };
    let len = bytes.len();
    if len < 8 {
        return bytes.windows(2).any(|pair| pair == b"//");
    }
    let mut at = 0;
    while at + 8 < len {
        if has_pair(&bytes[at..at + 8]) {
            return true;
        }
        at += 7;
    }
    has_pair(&bytes[len - 8..])
}

#[derive(Debug, Clone)]
pub(crate) struct Tree {
    nodes: Vec<Node>,
    parts: Vec<Part>,
    /// The end node of every all-static rule, by domain and then by path: one
    /// table lookup finds the node the walk would reach first (it tries static
    /// children before dynamic ones at every step).
    /// Domains are few, so they are scanned, the default (`""`) usually first.
    exact: Vec<(Box<str>, ExactPaths)>,
    /// The lengths of the paths in `exact`, a bit each ([`length_bit`]): a
    /// path of another length is not looked up.
    exact_lengths: u64,
    /// Where a walk in the default domain starts, if it can skip the root
    /// and the host ([`Tree::start`]); kept by [`Tree::insert`].
    first: Option<NodeId>,
}

/// A path length's bit in [`Tree::exact_lengths`]; lengths from 63 on share
/// the last.
#[inline]
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

impl Default for Tree {
    fn default() -> Self {
        Self {
            nodes: vec![Node::default()],
            parts: Vec::new(),
            exact: Vec::new(),
            exact_lengths: 0,
            first: None,
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
        let mut visited = vec![node];
        for part in parts {
            node = match part {
                PartSpec::Static(text) => {
                    match self.nodes[node as usize].statics.get(text.as_bytes()) {
                        Some(child) => child,
                        None => {
                            let child = self.new_node();
                            let parent = &mut self.nodes[node as usize];
                            parent.statics.insert(text.as_bytes(), child);
                            if text.is_empty() {
                                parent.empty = Some(child);
                            }
                            child
                        }
                    }
                }
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
                            let node = &mut self.nodes[node as usize];
                            node.lone = match node.dynamics[..] {
                                [(part, child)] if !parts[part as usize].final_ => {
                                    Lone::One { part, child }
                                }
                                _ => Lone::Many,
                            };
                            child
                        }
                    }
                }
            };
            visited.push(node);
        }
        // A chain runs down to its end: the nodes below the new ones are as
        // they were, so only the nodes on the way need a new chain.
        for &id in visited.iter().rev() {
            self.nodes[id as usize].chain = self.chain_of(id);
        }
        self.first = self.first_node();
        if let Some((domain, path)) = exact_key {
            let at = match self.exact.iter().position(|(d, _)| *d == domain) {
                Some(at) => at,
                None => {
                    self.exact.push((domain, Table::default()));
                    self.exact.len() - 1
                }
            };
            let paths = &mut self.exact[at].1;
            if paths.get(path.as_bytes()).is_none() {
                paths.insert(path.as_bytes(), node);
                self.exact_lengths |= length_bit(path.len());
            }
        }
        node
    }

    /// The node's [`Chain`], from its child's.
    fn chain_of(&self, id: NodeId) -> Option<Chain> {
        let node = &self.nodes[id as usize];
        if !node.dynamics.is_empty() {
            return None;
        }
        let (key, child) = node.statics.only().filter(|(key, _)| !key.is_empty())?;
        let mut text = key.to_vec();
        let (to, single) = match &self.nodes[child as usize].chain {
            Some(below) => {
                text.push(b'/');
                text.extend_from_slice(&below.text);
                (below.to, false)
            }
            None => (child, true),
        };
        Some(Chain {
            text: text.into(),
            to,
            single,
        })
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

    /// The node after the root and the empty host, when the default domain
    /// may start there: no variable in any domain or first part, so the root
    /// and the host each lead to their empty static child or nowhere, and
    /// leave nothing to come back to.
    fn first_node(&self) -> Option<NodeId> {
        let root = &self.nodes[0];
        if !root.dynamics.is_empty() {
            return None;
        }
        let host = &self.nodes[root.empty? as usize];
        if !host.dynamics.is_empty() {
            return None;
        }
        host.empty
    }

    /// Where the walk starts: after the root and the host for a path in the
    /// default domain when [`Tree::first_node`] allows, else at the root.
    #[inline]
    fn start(&self, domain: &str, path: &[u8]) -> (NodeId, usize) {
        match self.first {
            Some(first) if domain.is_empty() && path.first() == Some(&b'/') => (first, 1),
            _ => (0, DOMAIN),
        }
    }

    /// The route for a path that ends at `node`: one of its own, or one of
    /// its empty child's (a rule with a trailing `/`: a redirect under strict
    /// slashes).
    fn path_end(
        &self,
        node: &Node,
        req: &Request<'_>,
        leaves: &[Leaf],
        misses: &mut Misses,
    ) -> Option<Walk> {
        for &route in &node.routes {
            if leaves[route].suits(req, misses) {
                return Some(Walk::Found(route));
            }
        }
        let slash = node.empty?;
        for &route in &self.nodes[slash as usize].routes {
            let leaf = &leaves[route];
            let method_ok = leaf.methods.as_ref().is_none_or(|m| m.contains(req.method));
            if leaf.websocket == req.websocket && method_ok {
                if leaf.strict_slashes {
                    return Some(Walk::SlashRequired);
                }
                return Some(Walk::Found(route));
            }
        }
        None
    }

    /// Werkzeug's state-machine match: at each node the static child first, then
    /// the dynamic children in weight order, backtracking on failure. The values
    /// of a found route are left in `values` (which must start empty).
    ///
    /// An all-static rule is found by one lookup of the whole path, the usual
    /// request by the lean walk; [`Tree::walk_full`] answers the rest.
    pub fn walk<'p>(
        &self,
        req: &Request<'p>,
        leaves: &[Leaf],
        values: &mut Params<'p>,
        misses: &mut Misses,
    ) -> Walk {
        // The default domain is empty: no bytes to compare.
        let exact = (self.exact_lengths & length_bit(req.path.len()) != 0)
            .then(|| {
                self.exact.iter().find(|(domain, _)| {
                    domain.len() == req.domain.len()
                        && (domain.is_empty() || **domain == *req.domain)
                })
            })
            .flatten();
        if let Some(node) = exact.and_then(|(_, paths)| paths.get(req.path.as_bytes())) {
            for &route in &self.nodes[node as usize].routes {
                if leaves[route].suits(req, misses) {
                    return Walk::Found(route);
                }
            }
        }
        if let Some(walk) = self.walk_lean(req, leaves, values, misses) {
            return walk;
        }
        values.truncate(0);
        self.walk_full(req, leaves, values, misses)
    }

    /// [`Tree::walk`] step by step, for every tree and request.
    fn walk_full<'p>(
        &self,
        req: &Request<'p>,
        leaves: &[Leaf],
        values: &mut Params<'p>,
        misses: &mut Misses,
    ) -> Walk {
        let path = req.path;
        let bytes = path.as_bytes();

        // Only nodes with something left to try are kept: dynamic children not
        // yet tried, or an empty last part to fall back on.
        let mut stack: SmallVec<[Frame; 8]> = SmallVec::new();
        // Where the walk is: a node and where its part starts.
        let (mut node, mut at) = self.start(req.domain, bytes);
        'walk: loop {
            // Down the static children for as long as they match.
            let mut resume = loop {
                let current = &self.nodes[node as usize];
                if at == END {
                    if let Some(walk) = self.path_end(current, req, leaves, misses) {
                        return walk;
                    }
                    break None;
                }
                let (end, child) = if at == DOMAIN {
                    (DOMAIN, current.statics.get(req.domain.as_bytes()))
                } else {
                    let (end, probe) = segment(bytes, at);
                    (end, current.statics.find(probe, &bytes[at..end]))
                };
                let frame = Frame {
                    node,
                    stage: 0,
                    at,
                    end,
                    values_len: values.len(),
                };
                let Some(child) = child else {
                    break Some(frame);
                };
                if !current.dynamics.is_empty() || at == path.len() {
                    stack.push(frame);
                }
                node = child;
                at = match end {
                    DOMAIN => 0,
                    end if end < path.len() => end + 1,
                    _ => END,
                };
            };

            // The dynamic children of the deepest node with any left.
            loop {
                let Some(mut frame) = resume.take().or_else(|| stack.pop()) else {
                    return Walk::Miss {
                        slash_run: has_slash_run(bytes),
                    };
                };
                let current = &self.nodes[frame.node as usize];
                let (part, next) = match frame.at {
                    DOMAIN => (req.domain, 0),
                    start if frame.end < path.len() => (&path[start..frame.end], frame.end + 1),
                    start => (&path[start..], END),
                };
                while let Some(&(part_id, child)) = current.dynamics.get(frame.stage as usize) {
                    frame.stage += 1;
                    values.truncate(frame.values_len);
                    let spec = &self.parts[part_id as usize];
                    let (target, remaining) = match spec.final_ && frame.at != DOMAIN {
                        true => (&path[frame.at..], END),
                        false => (part, next),
                    };
                    let matched = if spec.any && !spec.suffixed {
                        // The default converter: any non-empty target.
                        (!target.is_empty()).then(|| {
                            values.push(target);
                            remaining
                        })
                    } else if spec.suffixed {
                        match target.strip_suffix('/') {
                            Some(body) if !body.ends_with('/') => {
                                spec.test(body, values).then_some(path.len())
                            }
                            Some(_) => None,
                            None => spec.test(target, values).then_some(END),
                        }
                    } else {
                        spec.test(target, values).then_some(remaining)
                    };
                    if let Some(remaining) = matched {
                        if (frame.stage as usize) < current.dynamics.len() || frame.at == path.len()
                        {
                            stack.push(frame);
                        }
                        node = child;
                        at = remaining;
                        continue 'walk;
                    }
                }

                // Only an empty last part is left: rules without strict slashes match.
                if frame.at == path.len() {
                    values.truncate(frame.values_len);
                    for &route in &current.routes {
                        if !leaves[route].strict_slashes && leaves[route].suits(req, misses) {
                            return Walk::Found(route);
                        }
                    }
                }
            }
        }
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
        let any = matches!(
            matcher,
            Matcher::Native(Converter::Str { min: 1, max: None })
        );
        let part = Part {
            key: self.key,
            final_: self.final_,
            suffixed,
            weight,
            matcher,
            any,
        };
        let mut specs = vec![PartSpec::Dynamic(part)];
        if suffixed {
            specs.push(PartSpec::Static(String::new()));
        }
        Ok(specs)
    }
}

#[cfg(test)]
mod tests {
    use super::has_slash_run;

    #[test]
    fn slash_runs_are_found_at_every_place() {
        // Fillers with and without the high bit, `0xaf` being `/` with it.
        for filler in [b'a', 0xaf, 0xff, 0] {
            for len in 0..40 {
                for first in 0..len {
                    for second in first..len {
                        let mut bytes = vec![filler; len];
                        bytes[first] = b'/';
                        bytes[second] = b'/';
                        let expected = bytes.windows(2).any(|pair| pair == b"//");
                        assert_eq!(has_slash_run(&bytes), expected, "{bytes:?}");
                    }
                }
            }
        }
    }
}
