//! URL building: a rule's static text (quoted once) and its variables' slots.
use std::borrow::Cow;

use crate::converter::Converter;
use crate::rule::{tokenize, Token};

/// Characters Werkzeug leaves unquoted in a path, besides letters, digits and `_.-~`.
const PATH_SAFE: &[u8] = b"!$&'()*+,/:;=@";

/// Percent-encodes `text` as Werkzeug's `quote(text, safe="!$&'()*+,/:;=@")`.
pub fn quote(text: &str) -> Cow<'_, str> {
    let keep = |b: u8| b.is_ascii_alphanumeric() || b"_.-~".contains(&b) || PATH_SAFE.contains(&b);
    if text.bytes().all(keep) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for b in text.bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            push_escaped(b, &mut out);
        }
    }
    Cow::Owned(out)
}

/// Appends `b` as `%XX`.
fn push_escaped(b: u8, out: &mut String) {
    out.push('%');
    out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
    out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
}

/// Appends a query key or value percent-encoded as
/// `urllib.parse.quote_plus(text, safe="!$'()*,/:;?@")`, the way Werkzeug's
/// `_urlencode` writes it.
#[cfg(feature = "python")]
pub(crate) fn push_quoted_plus(text: &str, out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~!$'()*,/:;?@".contains(&b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            push_escaped(b, out);
        }
    }
}

/// Python's `text.zfill(width)` for a number's text: zeros after the sign.
pub(crate) fn zfill(text: String, width: usize) -> String {
    if text.len() >= width {
        return text;
    }
    match text.strip_prefix('-') {
        Some(digits) => format!("-{digits:0>w$}", w = width - 1),
        None => format!("{text:0>width$}"),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    /// Index into the route's variables.
    Slot(usize),
}

/// The pieces of a rule's host and path.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Template {
    domain: Vec<Piece>,
    path: Vec<Piece>,
}

fn pieces(text: &str, first_slot: usize, variables: &[(String, Converter)]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut slot = first_slot;
    // Tokenized again rather than scanned for `<`/`>`: converter arguments may
    // hold a `>` (`<any("a>b"):x>`). The rule was tokenized at insert already.
    for token in tokenize(text).unwrap_or_default() {
        match token {
            Token::Slash => push_text(&mut out, "/"),
            Token::Static(static_text) => push_text(&mut out, static_text),
            Token::Variable(_) => {
                if slot - first_slot < variables.len() {
                    out.push(Piece::Slot(slot));
                }
                slot += 1;
            }
        }
    }
    out
}

fn push_text(out: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    let quoted = quote(text);
    if let Some(Piece::Text(previous)) = out.last_mut() {
        previous.push_str(&quoted);
    } else {
        out.push(Piece::Text(quoted.into_owned()));
    }
}

impl Template {
    pub fn new(
        domain: &str,
        path: &str,
        domain_vars: &[(String, Converter)],
        path_vars: &[(String, Converter)],
    ) -> Self {
        let domain_pieces = pieces(domain, 0, domain_vars)
            .into_iter()
            .map(|p| match p {
                // A host is not percent-encoded.
                Piece::Text(_) => p,
                slot => slot,
            })
            .collect();
        Self {
            domain: domain_pieces,
            path: pieces(path, domain_vars.len(), path_vars),
        }
    }

    fn fill(pieces: &[Piece], values: &[&str], out: &mut String) {
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Slot(i) => out.push_str(values.get(*i).copied().unwrap_or("")),
            }
        }
    }

    /// The host part and the path, with `values` (already in URL form, one per
    /// variable in rule order) in their slots.
    pub fn build(&self, values: &[&str]) -> (String, String) {
        let mut domain = String::new();
        Self::fill(&self.domain, values, &mut domain);
        let mut path = String::with_capacity(64);
        Self::fill(&self.path, values, &mut path);
        (domain, path)
    }
}

impl crate::Router {
    /// Builds the URL of route `index` from values already in URL form (one per
    /// variable, in rule order; see [`url_value`]). Returns (host part, path).
    pub fn url_for(&self, index: usize, values: &[&str]) -> Option<(String, String)> {
        let route = self.route(index)?;
        (values.len() == route.variables.len()).then(|| route.template.build(values))
    }
}

/// A value in URL form for a built-in converter, as its `to_url` would write it;
/// `None` when the converter rejects it (`any` with a value not among its items,
/// a number that does not parse).
pub fn url_value<'v>(converter: &Converter, value: &'v str) -> Option<Cow<'v, str>> {
    match converter {
        Converter::Int { fixed_digits, .. } => {
            let number: i128 = value.trim().parse().ok()?;
            Some(Cow::Owned(zfill(number.to_string(), *fixed_digits)))
        }
        Converter::Any { items } => items
            .iter()
            .any(|i| i == value)
            .then_some(Cow::Borrowed(value)),
        Converter::Uuid => Some(Cow::Borrowed(value)),
        _ => Some(quote(value)),
    }
}
