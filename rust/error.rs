//! Typed errors: every one names the rule at fault and, where it helps, the position.
use std::fmt;

/// Why a rule could not be added to the [`Router`](crate::Router).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertError {
    /// The rule text does not follow the rule grammar.
    InvalidRule {
        rule: String,
        /// Byte offset into `rule` where parsing stopped.
        pos: usize,
        message: String,
    },
    /// `<name:x>` names a converter the router does not know.
    UnknownConverter {
        rule: String,
        pos: usize,
        name: String,
    },
    /// The arguments in `<int(...):x>` are malformed or not accepted by the converter.
    InvalidArguments {
        rule: String,
        pos: usize,
        converter: String,
        message: String,
    },
    /// A converter's regular expression does not compile (or uses a feature the
    /// linear-time engine rejects, such as look-around or back-references).
    InvalidRegex {
        rule: String,
        pos: usize,
        message: String,
    },
    /// The rule matches exactly the URLs of a rule already added, for an
    /// overlapping method: one of them could never be reached.
    Conflict {
        rule: String,
        /// The earlier rule's text.
        with: String,
        /// The earlier rule's index, as [`Router::insert`](crate::Router::insert) returned it.
        with_index: usize,
        /// The methods both answer; empty for every method.
        methods: Vec<String>,
    },
}

impl fmt::Display for InsertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRule { rule, pos, message } => {
                write!(f, "malformed rule {rule:?} at position {pos}: {message}")
            }
            Self::UnknownConverter { rule, pos, name } => write!(
                f,
                "malformed rule {rule:?} at position {pos}: the converter {name:?} does not exist"
            ),
            Self::InvalidArguments {
                rule,
                pos,
                converter,
                message,
            } => write!(
                f,
                "malformed rule {rule:?} at position {pos}: bad arguments for converter {converter:?}: {message}"
            ),
            Self::InvalidRegex { rule, pos, message } => write!(
                f,
                "malformed rule {rule:?} at position {pos}: converter regex does not compile: {message}"
            ),
            Self::Conflict {
                rule,
                with,
                methods,
                ..
            } => {
                write!(
                    f,
                    "rule {rule:?} conflicts with rule {with:?}: both match exactly the same URLs"
                )?;
                if methods.is_empty() {
                    write!(f, " for every method")
                } else {
                    write!(f, " for {}", methods.join(", "))
                }
            }
        }
    }
}

impl std::error::Error for InsertError {}
