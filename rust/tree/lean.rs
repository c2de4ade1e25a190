//! The lean walk: [`Tree::walk`]'s answer for the usual request with less
//! bookkeeping. It follows the same order (the static child first, then the
//! dynamic one, backtracking on failure) through nodes with at most one
//! dynamic child that tests one segment, takes a run of only children
//! (a [`super::Chain`]) in one comparison, and gives up (`None`) wherever the
//! full walk has more to weigh: several or path-like dynamic children, a
//! domain, a trailing `/` that may fall back on a rule without strict slashes,
//! or a run of slashes before the point of a miss (the path may redirect to its
//! merged form).
use smallvec::SmallVec;

use super::{has_slash_run, Chase, Leaf, Lone, Misses, Node, NodeId, Request, Tree, Walk};
use crate::params::Params;
use crate::table::segment;

/// Where a dynamic child leads.
enum Step {
    /// To this node, with the part starting here (past the path's end: none).
    To(NodeId, usize),
    Refused,
    /// The full walk must decide.
    Undecided,
}

/// A node whose dynamic child is still to try on the segment `at..end`.
#[derive(Debug, Clone, Copy)]
struct Frame {
    node: NodeId,
    at: usize,
    end: usize,
    values_len: usize,
}

impl Tree {
    /// The walk's answer, or `None` where [`Tree::walk`] must decide. `values`
    /// must start empty; after `None` it holds leftovers to clear.
    pub(super) fn walk_lean<'p>(
        &self,
        req: &Request<'p>,
        leaves: &[Leaf],
        values: &mut Params<'p>,
        misses: &mut Misses,
    ) -> Option<Walk> {
        let path = req.path;
        let bytes = path.as_bytes();
        let (mut node, mut at) = self.start(req.domain, bytes);
        if at != 1 {
            return None;
        }
        let mut stack: SmallVec<[Frame; 8]> = SmallVec::new();
        // How far the path has been read: runs of slashes before it are known.
        let mut read = 1;
        loop {
            let current = &self.nodes[node as usize];
            let next = if at > bytes.len() {
                // The whole path is read.
                if let Some(walk) = self.path_end(current, req, leaves, misses) {
                    return Some(walk);
                }
                None
            } else {
                let chase = match &current.chain {
                    Some(chain) => chain.follow(bytes, at),
                    None => Chase::Unsure,
                };
                match chase {
                    Chase::Along(to, after) => {
                        // Static segments only, none of them empty.
                        read = read.max(after - 1);
                        Some((to, after))
                    }
                    // Nowhere to go from here: back to the last dynamic child
                    // left. (`read` stays behind: a miss scans the segment too.)
                    Chase::Off => None,
                    Chase::Unsure => {
                        let (end, probe) = segment(bytes, at);
                        if end == at && end < bytes.len() {
                            // An empty segment before a `/`: a run of slashes.
                            return None;
                        }
                        read = read.max(end);
                        let frame = Frame {
                            node,
                            at,
                            end,
                            values_len: values.len(),
                        };
                        if let Some(child) = current.statics.find(probe, &bytes[at..end]) {
                            if current.lone != Lone::None || at == bytes.len() {
                                stack.push(frame);
                            }
                            Some((child, end + 1))
                        } else {
                            match self.try_dynamic(path, current, frame, values) {
                                Step::To(child, after) => Some((child, after)),
                                Step::Refused => None,
                                Step::Undecided => return None,
                            }
                        }
                    }
                }
            };
            let (child, after) = match next {
                Some(step) => step,
                None => loop {
                    let Some(frame) = stack.pop() else {
                        return Some(Walk::Miss {
                            slash_run: has_slash_run(&bytes[read..]),
                        });
                    };
                    values.truncate(frame.values_len);
                    let current = &self.nodes[frame.node as usize];
                    match self.try_dynamic(path, current, frame, values) {
                        Step::To(child, after) => break (child, after),
                        Step::Refused => {}
                        Step::Undecided => return None,
                    }
                },
            };
            node = child;
            at = after;
        }
    }

    /// The node's dynamic child on the frame's segment.
    #[inline(always)]
    fn try_dynamic<'p>(
        &self,
        path: &'p str,
        node: &Node,
        frame: Frame,
        values: &mut Params<'p>,
    ) -> Step {
        if frame.at == path.len() {
            // An empty last segment: rules without strict slashes may match.
            return Step::Undecided;
        }
        match node.lone {
            Lone::None => Step::Refused,
            Lone::Many => Step::Undecided,
            Lone::One { part, child } => {
                let target = segment_text(path, frame.at, frame.end);
                let spec = &self.parts[part as usize];
                let matched = match spec.any {
                    // The default converter: any non-empty segment.
                    true if !target.is_empty() => {
                        values.push(target);
                        true
                    }
                    true => false,
                    false => spec.test(target, values),
                };
                match matched {
                    true => Step::To(child, frame.end + 1),
                    false => Step::Refused,
                }
            }
        }
    }
}

/// The text of the segment `at..end` of `path`, without checking that both
/// ends fall on character boundaries: the walk only makes segments that
/// start right after a `/` and end at a `/` or at the path's end.
#[inline(always)]
fn segment_text(path: &str, at: usize, end: usize) -> &str {
    debug_assert!(at >= 1 && path.as_bytes()[at - 1] == b'/');
    debug_assert!(path.as_bytes().get(end).is_none_or(|&b| b == b'/'));
    let bytes = &path.as_bytes()[at..end];
    // SAFETY: `bytes` lies within `path` (the slice is bounds-checked) and
    // both its ends are character boundaries of the valid UTF-8 in `path`:
    // the byte before `at` is `/`, and `end` is a `/` or the end. `/` is
    // ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII, so no
    // character straddles either end. The bytes are therefore valid UTF-8.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    use crate::methods::Method;
    use crate::params::Params;
    use crate::router::{RouteOptions, Router};
    use crate::tree::{Misses, Request};

    /// A rule segment: static text, or a variable (`{}`: its name).
    fn rule_segment() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("a"),
            Just("b"),
            Just("ab"),
            Just("<{}>"),
            Just("<int:{}>"),
            Just("<any(a, b):{}>"),
            Just("<path:{}>"),
            Just("<string(length=2):{}>"),
        ]
    }

    /// A rule's text, strict slashes, and whether it answers GET (else POST).
    fn rule() -> impl Strategy<Value = (String, bool, bool)> {
        (
            prop::collection::vec(rule_segment(), 0..4),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(segments, trailing_slash, strict, get)| {
                let mut text: String = segments
                    .iter()
                    .enumerate()
                    .map(|(i, segment)| format!("/{}", segment.replace("{}", &format!("v{i}"))))
                    .collect();
                if text.is_empty() || trailing_slash {
                    text.push('/');
                }
                (text, strict, get)
            })
    }

    fn path() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("a"),
                Just("b"),
                Just("ab"),
                Just("7"),
                Just(""),
                Just("xyzxyzxyzxyzxyzxyz")
            ],
            0..5,
        )
        .prop_map(|segments| format!("/{}", segments.join("/")))
    }

    proptest! {
        #![proptest_config(Config { cases: 400, failure_persistence: None, ..Config::default() })]

        /// Wherever the lean walk answers, the full walk gives the same answer,
        /// values and misses.
        #[test]
        fn lean_walk_answers_as_the_full_walk(
            rules in prop::collection::vec(rule(), 1..12),
            paths in prop::collection::vec(path(), 1..12),
        ) {
            let mut router = Router::new();
            for (index, (text, strict, get)) in rules.iter().enumerate() {
                let options = RouteOptions {
                    methods: Some(vec![if *get { "GET" } else { "POST" }.to_owned()]),
                    strict_slashes: *strict,
                    // Every other rule is kept even if it conflicts.
                    allow_conflict: index % 2 == 1,
                    ..RouteOptions::default()
                };
                // Malformed rules, and conflicting ones otherwise, are refused.
                let _ = router.insert(text, options);
            }
            let (tree, leaves) = router.tree();
            for path in &paths {
                for method in ["GET", "POST"] {
                    let req = Request {
                        domain: "",
                        path,
                        method: Method::new(method),
                        websocket: false,
                    };
                    let (mut lean_values, mut lean_misses) = (Params::new(), Misses::default());
                    let Some(lean) = tree.walk_lean(&req, leaves, &mut lean_values, &mut lean_misses)
                    else {
                        continue;
                    };
                    let (mut values, mut misses) = (Params::new(), Misses::default());
                    let full = tree.walk_full(&req, leaves, &mut values, &mut misses);
                    prop_assert_eq!(&lean, &full, "{} {}", method, path);
                    prop_assert_eq!(lean_misses.allowed, misses.allowed);
                    prop_assert_eq!(lean_misses.websocket_mismatch, misses.websocket_mismatch);
                    if matches!(full, crate::tree::Walk::Found(_)) {
                        prop_assert_eq!(lean_values.as_slice(), values.as_slice());
                    }
                }
            }
        }
    }
}
