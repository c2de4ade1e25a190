//! Parsing rule text such as `/user/<int(signed=True):id>` into tokens.
//!
//! The grammar is Werkzeug's: a rule is a sequence of slashes, static text and
//! variables `<name>`, `<converter:name>` or `<converter(args):name>`; converter
//! arguments follow Werkzeug's `parse_converter_args` (ints, floats, quoted or bare
//! strings, `True`/`False`/`None`, `name=value` keywords).
use std::sync::OnceLock;

use regex::Regex;

/// One piece of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    Slash,
    Static(&'a str),
    Variable(Variable<'a>),
}

/// A `<converter(args):name>` placeholder.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable<'a> {
    /// `"default"` when the placeholder names no converter.
    pub converter: &'a str,
    /// The text between the parentheses, if any.
    pub args: Option<&'a str>,
    pub name: &'a str,
    /// Byte offset of the `<` in the rule.
    pub pos: usize,
}

/// A parse failure: byte offset and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub pos: usize,
    pub message: String,
}

/// A converter argument value, as Werkzeug's `_pythonize` reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

impl ArgValue {
    /// The value as a number, if it is one (`True`/`False` count, as in Python).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Bool(b) => Some(f64::from(u8::from(*b))),
            Self::Int(i) => Some(*i as f64),
            Self::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The value as an integer, if it is one.
    pub fn as_int(&self) -> Option<i128> {
        match self {
            Self::Bool(b) => Some(i128::from(*b)),
            Self::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Python's truthiness of the value.
    pub fn truthy(&self) -> bool {
        match self {
            Self::None => false,
            Self::Bool(b) => *b,
            Self::Int(i) => *i != 0,
            Self::Float(f) => *f != 0.0,
            Self::Str(s) => !s.is_empty(),
        }
    }

    /// The value as written in an error message: text quoted, the rest as
    /// [`ArgValue::to_text`] gives it.
    pub fn quoted(&self) -> String {
        match self {
            Self::Str(s) => format!("{s:?}"),
            other => other.to_text(),
        }
    }

    /// The value as Python's `str()` would print it (used by `any(...)`).
    pub fn to_text(&self) -> String {
        match self {
            Self::None => "None".to_owned(),
            Self::Bool(true) => "True".to_owned(),
            Self::Bool(false) => "False".to_owned(),
            Self::Int(i) => i.to_string(),
            Self::Float(f) => format!("{f:?}"),
            Self::Str(s) => s.clone(),
        }
    }
}

/// Positional and keyword converter arguments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    pub positional: Vec<ArgValue>,
    pub keywords: Vec<(String, ArgValue)>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Length of the identifier `[a-zA-Z_][a-zA-Z0-9_]*` starting at `at`, or 0.
fn ident_len(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(&b) if is_ident_start(b) => {
            1 + bytes[at + 1..]
                .iter()
                .take_while(|&&b| is_ident_continue(b))
                .count()
        }
        _ => 0,
    }
}

/// If `name>` starts at `at`, returns (name end, position after `>`).
fn variable_tail(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let n = ident_len(bytes, at);
    (n > 0 && bytes.get(at + n) == Some(&b'>')).then_some((at + n, at + n + 1))
}

/// Parses the placeholder starting at the `<` at `start`; returns it and the
/// position after its `>`.
fn parse_variable(rule: &str, start: usize) -> Result<(Variable<'_>, usize), ParseError> {
    let bytes = rule.as_bytes();
    let name_at = start + 1;
    let first = ident_len(bytes, name_at);
    if first > 0 {
        let after = name_at + first;
        let converter = &rule[name_at..after];
        // `<conv(args):name>`: the arguments end at the first `)` followed by `:name>`.
        if bytes.get(after) == Some(&b'(') {
            let mut k = after + 1;
            while k < bytes.len() && bytes[k] != b'\n' {
                if bytes[k] == b')' && bytes.get(k + 1) == Some(&b':') {
                    if let Some((end, next)) = variable_tail(bytes, k + 2) {
                        let var = Variable {
                            converter,
                            args: Some(&rule[after + 1..k]),
                            name: &rule[k + 2..end],
                            pos: start,
                        };
                        return Ok((var, next));
                    }
                }
                k += 1;
            }
        }
        // `<conv:name>`
        if bytes.get(after) == Some(&b':') {
            if let Some((end, next)) = variable_tail(bytes, after + 1) {
                let var = Variable {
                    converter,
                    args: None,
                    name: &rule[after + 1..end],
                    pos: start,
                };
                return Ok((var, next));
            }
        }
        // `<name>`
        if let Some((end, next)) = variable_tail(bytes, name_at) {
            let var = Variable {
                converter: "default",
                args: None,
                name: &rule[name_at..end],
                pos: start,
            };
            return Ok((var, next));
        }
    }
    let message = if !rule[start..].contains('>') {
        "unclosed '<': expected '<name>' or '<converter:name>'"
    } else if rule[start..].starts_with("<>") || rule[start..].contains(":>") {
        "a variable needs a name: expected '<name>' or '<converter:name>'"
    } else {
        "expected '<name>', '<converter:name>' or '<converter(arguments):name>' \
         (names are letters, digits and '_', not starting with a digit)"
    };
    Err(ParseError {
        pos: start,
        message: message.to_owned(),
    })
}

/// Splits rule text into slashes, static text and variables.
pub fn tokenize(rule: &str) -> Result<Vec<Token<'_>>, ParseError> {
    let bytes = rule.as_bytes();
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        match bytes[pos] {
            b'/' => {
                tokens.push(Token::Slash);
                pos += 1;
            }
            b'<' => {
                let (var, next) = parse_variable(rule, pos)?;
                tokens.push(Token::Variable(var));
                pos = next;
            }
            _ => {
                let end = bytes[pos..]
                    .iter()
                    .position(|&b| b == b'<' || b == b'/')
                    .map_or(bytes.len(), |n| pos + n);
                tokens.push(Token::Static(&rule[pos..end]));
                pos = end;
            }
        }
    }
    Ok(tokens)
}

fn args_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Werkzeug's `_converter_args_re`, item by item.
        Regex::new(
            r#"\s*((?P<name>\w+)\s*=\s*)?(?P<value>True|False|\d+.\d+|\d+.|\d+|[\w\d_.]+|[urUR]?(?P<stringval>"[^"]*?"|'[^']*'))\s*,"#,
        )
        .expect("the converter argument regex is a valid constant")
    })
}

fn without_underscores(text: &str) -> Option<String> {
    // Python accepts single underscores between digits: 1_000.
    let bytes = text.as_bytes();
    let ok = !text.starts_with('_')
        && !text.ends_with('_')
        && !bytes.windows(2).any(|w| w[0] == b'_' && w[1] == b'_');
    ok.then(|| text.replace('_', ""))
}

fn pythonize(text: &str) -> ArgValue {
    match text {
        "None" => return ArgValue::None,
        "True" => return ArgValue::Bool(true),
        "False" => return ArgValue::Bool(false),
        _ => {}
    }
    // Python's int() and float() ignore surrounding whitespace, which Werkzeug's
    // `\d+.` lets into a value ("3 " in "3 , 4").
    if let Some(plain) = without_underscores(text.trim()) {
        if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(i) = plain.parse::<i128>() {
                return ArgValue::Int(i);
            }
        }
        if plain.is_ascii() && !plain.is_empty() {
            if let Ok(f) = plain.parse::<f64>() {
                return ArgValue::Float(f);
            }
        }
    }
    let quoted = text.len() >= 2
        && (text.starts_with('"') || text.starts_with('\''))
        && text.as_bytes()[0] == text.as_bytes()[text.len() - 1];
    if quoted {
        return ArgValue::Str(text[1..text.len() - 1].to_owned());
    }
    ArgValue::Str(text.to_owned())
}

/// Parses converter arguments as Werkzeug's `parse_converter_args` does.
/// On failure returns the byte offset into `argstr` of the unparsable text.
pub fn parse_args(argstr: &str) -> Result<Args, ParseError> {
    let text = format!("{argstr},");
    let mut args = Args::default();
    let mut position = 0;
    for item in args_regex().captures_iter(&text) {
        let whole = item.get(0).expect("group 0 always participates");
        if whole.start() != position {
            return Err(ParseError {
                pos: position,
                message: format!(
                    "cannot parse converter argument {:?}",
                    &text[position..whole.start()]
                ),
            });
        }
        let value = match item.name("stringval") {
            Some(s) => pythonize(s.as_str()),
            None => pythonize(&item["value"]),
        };
        match item.name("name") {
            Some(name) => args.keywords.push((name.as_str().to_owned(), value)),
            None => args.positional.push(value),
        }
        position = whole.end();
    }
    // What is left of `argstr` itself (not the `,` appended above): nothing for
    // `""` or a trailing comma, as in Werkzeug. Werkzeug ignores other unparsed
    // trailing text; kolben reports it.
    let rest = argstr.get(position..).unwrap_or("");
    if !rest.trim().is_empty() {
        return Err(ParseError {
            pos: position,
            message: format!("cannot parse converter argument {rest:?}"),
        });
    }
    Ok(args)
}
