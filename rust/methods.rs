//! HTTP method sets: a bit per common method, a list for the rest.

const KNOWN: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
];

/// A request method, resolved once per match.
#[derive(Debug, Clone, Copy)]
pub struct Method<'a> {
    bit: u16,
    name: &'a str,
}

impl<'a> Method<'a> {
    /// `name` must already be upper case, as Werkzeug passes it.
    #[inline(always)]
    pub fn new(name: &'a str) -> Self {
        // A match on the bytes: a switch on the length, then word compares.
        let bit = match name.as_bytes() {
            b"GET" => 1,
            b"HEAD" => 1 << 1,
            b"POST" => 1 << 2,
            b"PUT" => 1 << 3,
            b"DELETE" => 1 << 4,
            b"PATCH" => 1 << 5,
            b"OPTIONS" => 1 << 6,
            b"TRACE" => 1 << 7,
            b"CONNECT" => 1 << 8,
            _ => 0,
        };
        Self { bit, name }
    }

    /// One of the common methods (all upper case), which have a bit each.
    #[inline]
    pub fn is_common(&self) -> bool {
        self.bit != 0
    }

    pub fn name(&self) -> &'a str {
        self.name
    }
}

/// A set of methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MethodSet {
    bits: u16,
    /// The uncommon methods: few, and empty in most sets, whose drop is then
    /// free of any call.
    other: Box<[Box<str>]>,
}

impl MethodSet {
    /// Upper-cases `names`; `HEAD` is implied by `GET`, as in Werkzeug.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Self {
        let mut set = Self::default();
        for name in names {
            set.insert(&name.as_ref().to_ascii_uppercase());
        }
        if set.contains(Method::new("GET")) {
            set.insert("HEAD");
        }
        set
    }

    fn insert(&mut self, name: &str) {
        match Method::new(name).bit {
            0 if !self.other.iter().any(|o| &**o == name) => {
                let mut other = std::mem::take(&mut self.other).into_vec();
                other.push(name.into());
                self.other = other.into_boxed_slice();
            }
            0 => {}
            bit => self.bits |= bit,
        }
    }

    pub fn contains(&self, method: Method<'_>) -> bool {
        if method.bit != 0 {
            self.bits & method.bit != 0
        } else {
            self.other.iter().any(|o| &**o == method.name)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bits == 0 && self.other.is_empty()
    }

    pub(crate) fn extend(&mut self, other: &Self) {
        self.bits |= other.bits;
        for name in &other.other {
            self.insert(name);
        }
    }

    /// The methods in both sets.
    pub fn intersection(&self, other: &Self) -> Self {
        Self {
            bits: self.bits & other.bits,
            other: self
                .other
                .iter()
                .filter(|o| other.other.contains(o))
                .cloned()
                .collect(),
        }
    }

    /// The methods in `self` and not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        Self {
            bits: self.bits & !other.bits,
            other: self
                .other
                .iter()
                .filter(|o| !other.other.contains(o))
                .cloned()
                .collect(),
        }
    }

    /// The method names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = KNOWN
            .iter()
            .enumerate()
            .filter(|(i, _)| self.bits & (1 << i) != 0)
            .map(|(_, k)| (*k).to_owned())
            .chain(self.other.iter().map(|o| o.to_string()))
            .collect();
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_known_method_has_its_own_bit() {
        for (i, name) in KNOWN.iter().enumerate() {
            assert_eq!(Method::new(name).bit, 1 << i, "{name}");
        }
        assert_eq!(Method::new("get").bit, 0);
        assert_eq!(Method::new("PROPFIND").bit, 0);
    }
}
