//! Built-in converters: how each one matches a segment, validates and weighs it.
//!
//! Each converter keeps Werkzeug's regular expression as its identity (two rules
//! whose parts have the same expression share a node, as in Werkzeug), but the
//! built-in ones are matched on the bytes without a regex engine.
use crate::rule::{ArgValue, Args};

/// A numeric bound (`min=`/`max=`), compared as Python compares int and float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Int(i128),
    Float(f64),
}

impl Bound {
    fn from_arg(value: &ArgValue) -> Result<Option<Self>, String> {
        match value {
            ArgValue::None => Ok(None),
            ArgValue::Bool(b) => Ok(Some(Self::Int(i128::from(*b)))),
            ArgValue::Int(i) => Ok(Some(Self::Int(*i))),
            ArgValue::Float(f) => Ok(Some(Self::Float(*f))),
            ArgValue::Str(s) => Err(format!("expected a number, got {s:?}")),
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Self::Int(i) => i as f64,
            Self::Float(f) => f,
        }
    }
}

/// A custom converter: its regex is matched by the `regex` crate (linear time).
#[derive(Debug, Clone, PartialEq)]
pub struct Custom {
    pub regex: String,
    pub weight: i64,
    /// False when the converter may match `/` (then it consumes the rest of the path).
    pub part_isolating: bool,
}

/// What a placeholder accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Converter {
    /// `default`/`string`: one segment of `min..=max` characters.
    Str {
        min: usize,
        max: Option<usize>,
    },
    /// `int`: ASCII digits, optionally signed, with Werkzeug's checks.
    Int {
        signed: bool,
        fixed_digits: usize,
        min: Option<Bound>,
        max: Option<Bound>,
    },
    /// `float`: `digits.digits`, optionally signed.
    Float {
        signed: bool,
        min: Option<Bound>,
        max: Option<Bound>,
    },
    /// `path`: the rest of the path, slashes included.
    Path,
    /// `uuid`: 8-4-4-4-12 hex digits.
    Uuid,
    /// `any(a, b)`: exactly one of the items.
    Any {
        items: Vec<String>,
    },
    Custom(Custom),
}

/// Python's `re.escape`, so that expressions compare as Werkzeug's do.
pub fn python_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "()[]{}?*+-|^$\\.&~# \t\n\r\x0b\x0c".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

struct ArgReader<'a> {
    args: &'a Args,
    names: &'a [&'a str],
    values: Vec<Option<&'a ArgValue>>,
}

impl<'a> ArgReader<'a> {
    /// Binds positional and keyword arguments to `names` as a Python signature would.
    fn bind(args: &'a Args, names: &'a [&'a str]) -> Result<Self, String> {
        if args.positional.len() > names.len() {
            return Err(format!(
                "takes at most {} argument(s), {} given",
                names.len(),
                args.positional.len()
            ));
        }
        let mut values: Vec<Option<&ArgValue>> = vec![None; names.len()];
        for (slot, value) in values.iter_mut().zip(&args.positional) {
            *slot = Some(value);
        }
        for (key, value) in &args.keywords {
            let index = names
                .iter()
                .position(|n| n == key)
                .ok_or_else(|| format!("unexpected keyword argument {key:?}"))?;
            if values[index].is_some() {
                return Err(format!("got multiple values for argument {key:?}"));
            }
            values[index] = Some(value);
        }
        Ok(Self {
            args,
            names,
            values,
        })
    }

    fn get(&self, index: usize) -> Option<&'a ArgValue> {
        self.values[index]
    }

    fn count(&self, index: usize, default: Option<usize>) -> Result<Option<usize>, String> {
        match self.get(index) {
            None | Some(ArgValue::None) => Ok(default),
            Some(value) => match value.as_int() {
                Some(i) if i >= 0 => usize::try_from(i).map(Some).map_err(|e| e.to_string()),
                _ => Err(format!(
                    "{} must be a non-negative integer, got {}",
                    self.names[index],
                    value.quoted()
                )),
            },
        }
    }

    fn flag(&self, index: usize) -> bool {
        self.get(index).is_some_and(ArgValue::truthy)
    }

    fn bound(&self, index: usize) -> Result<Option<Bound>, String> {
        self.get(index)
            .map_or(Ok(None), Bound::from_arg)
            .map_err(|e| format!("{}: {e}", self.names[index]))
    }

    fn no_arguments(&self) -> Result<(), String> {
        if self.args.positional.is_empty() && self.args.keywords.is_empty() {
            Ok(())
        } else {
            Err("takes no arguments".to_owned())
        }
    }
}

impl Converter {
    /// The built-in converter `name` with `args`; `Ok(None)` if `name` is not built in.
    pub fn builtin(name: &str, args: &Args) -> Result<Option<Self>, String> {
        let converter = match name {
            "default" | "string" => {
                let names = ["minlength", "maxlength", "length"];
                let r = ArgReader::bind(args, &names)?;
                match r.count(2, None)? {
                    Some(length) => Self::Str {
                        min: length,
                        max: Some(length),
                    },
                    None => {
                        let min = r.count(0, Some(1))?.unwrap_or(1);
                        let max = r.count(1, None)?;
                        if max.is_some_and(|max| max < min) {
                            return Err("maxlength is smaller than minlength".to_owned());
                        }
                        Self::Str { min, max }
                    }
                }
            }
            "int" => {
                let names = ["fixed_digits", "min", "max", "signed"];
                let r = ArgReader::bind(args, &names)?;
                Self::Int {
                    fixed_digits: r.count(0, Some(0))?.unwrap_or(0),
                    min: r.bound(1)?,
                    max: r.bound(2)?,
                    signed: r.flag(3),
                }
            }
            "float" => {
                let names = ["min", "max", "signed"];
                let r = ArgReader::bind(args, &names)?;
                Self::Float {
                    min: r.bound(0)?,
                    max: r.bound(1)?,
                    signed: r.flag(2),
                }
            }
            "path" => {
                ArgReader::bind(args, &[])?.no_arguments()?;
                Self::Path
            }
            "uuid" => {
                ArgReader::bind(args, &[])?.no_arguments()?;
                Self::Uuid
            }
            "any" => {
                if !args.keywords.is_empty() {
                    return Err("any() takes only positional items".to_owned());
                }
                if args.positional.is_empty() {
                    return Err("any() needs at least one item".to_owned());
                }
                Self::Any {
                    items: args.positional.iter().map(ArgValue::to_text).collect(),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(converter))
    }

    /// Werkzeug's regular expression for this converter (its identity in the tree).
    pub fn regex(&self) -> String {
        match self {
            Self::Str { min, max } if Some(*min) == *max => format!("[^/]{{{min}}}"),
            Self::Str { min, max } => match max {
                Some(max) => format!("[^/]{{{min},{max}}}"),
                None => format!("[^/]{{{min},}}"),
            },
            Self::Int { signed, .. } => if *signed { r"-?\d+" } else { r"\d+" }.to_owned(),
            Self::Float { signed, .. } => {
                if *signed { r"-?\d+\.\d+" } else { r"\d+\.\d+" }.to_owned()
            }
            Self::Path => "[^/].*?".to_owned(),
            Self::Uuid => {
                r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
                    .to_owned()
            }
            Self::Any { items } => {
                let escaped: Vec<String> = items.iter().map(|i| python_escape(i)).collect();
                format!("(?:{})", escaped.join("|"))
            }
            Self::Custom(custom) => custom.regex.clone(),
        }
    }

    /// The expression the `regex` crate compiles for this converter. Int and float
    /// accept ASCII digits only (Python's `\d` also takes other scripts' digits).
    pub fn engine_regex(&self) -> String {
        match self {
            Self::Int { signed, .. } => if *signed { "-?[0-9]+" } else { "[0-9]+" }.to_owned(),
            Self::Float { signed, .. } => if *signed {
                r"-?[0-9]+\.[0-9]+"
            } else {
                r"[0-9]+\.[0-9]+"
            }
            .to_owned(),
            Self::Any { items } => {
                let escaped: Vec<String> = items.iter().map(|i| regex::escape(i)).collect();
                format!("(?:{})", escaped.join("|"))
            }
            _ => self.regex(),
        }
    }

    /// Werkzeug's weight: lower sorts first among a node's dynamic children.
    pub fn weight(&self) -> i64 {
        match self {
            Self::Int { .. } | Self::Float { .. } => 50,
            Self::Path => 200,
            Self::Custom(custom) => custom.weight,
            _ => 100,
        }
    }

    /// False when the converter can match `/`.
    pub fn part_isolating(&self) -> bool {
        match self {
            Self::Path => false,
            Self::Custom(custom) => custom.part_isolating,
            _ => true,
        }
    }

    /// Whether this converter's whole-target match can be done without a regex.
    pub(crate) fn is_native(&self) -> bool {
        !matches!(self, Self::Custom(_))
    }

    /// Whether `text` (a whole segment, or the rest of the path for `path`) matches.
    /// Only for native converters; custom ones go through their regex.
    pub(crate) fn matches(&self, text: &str) -> bool {
        match self {
            Self::Str { min, max } => match max {
                // Only counting near the lower bound: a byte is at most one char.
                None => *min == 0 || (text.len() >= *min && text.chars().nth(*min - 1).is_some()),
                Some(max) => (*min..=*max).contains(&text.chars().count()),
            },
            Self::Int { signed, .. } => {
                let digits = if *signed {
                    text.strip_prefix('-').unwrap_or(text)
                } else {
                    text
                };
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            }
            Self::Float { signed, .. } => {
                let number = if *signed {
                    text.strip_prefix('-').unwrap_or(text)
                } else {
                    text
                };
                match number.split_once('.') {
                    Some((int, frac)) => {
                        !int.is_empty()
                            && !frac.is_empty()
                            && int.bytes().all(|b| b.is_ascii_digit())
                            && frac.bytes().all(|b| b.is_ascii_digit())
                    }
                    None => false,
                }
            }
            Self::Path => {
                // `[^/].*?`: not empty, no leading slash, and `.` stops at a newline.
                let mut chars = text.chars();
                matches!(chars.next(), Some(c) if c != '/') && !chars.as_str().contains('\n')
            }
            Self::Uuid => {
                let b = text.as_bytes();
                b.len() == 36
                    && b.iter().enumerate().all(|(i, &c)| match i {
                        8 | 13 | 18 | 23 => c == b'-',
                        _ => c.is_ascii_hexdigit(),
                    })
            }
            Self::Any { items } => items.iter().any(|i| i == text),
            Self::Custom(_) => false,
        }
    }

    /// Werkzeug's `to_python` checks (fixed digits, bounds) on a matched value.
    pub fn validate(&self, text: &str) -> bool {
        match self {
            Self::Int {
                fixed_digits,
                min,
                max,
                ..
            } => {
                if *fixed_digits != 0 && text.len() != *fixed_digits {
                    return false;
                }
                if min.is_none() && max.is_none() {
                    return true;
                }
                let value = match text.parse::<i128>() {
                    Ok(i) => Bound::Int(i),
                    // Beyond i128: compare as a float, the sign and magnitude decide.
                    Err(_) => Bound::Float(text.parse::<f64>().unwrap_or(f64::NAN)),
                };
                within(value, *min, *max)
            }
            Self::Float { min, max, .. } => {
                if min.is_none() && max.is_none() {
                    return true;
                }
                match text.parse::<f64>() {
                    Ok(f) => within(Bound::Float(f), *min, *max),
                    Err(_) => false,
                }
            }
            _ => true,
        }
    }
}

fn less(a: Bound, b: Bound) -> bool {
    match (a, b) {
        (Bound::Int(a), Bound::Int(b)) => a < b,
        _ => a.as_f64() < b.as_f64(),
    }
}

fn within(value: Bound, min: Option<Bound>, max: Option<Bound>) -> bool {
    !(min.is_some_and(|m| less(value, m)) || max.is_some_and(|m| less(m, value)))
}
