//! Matched values, kept inline for the usual few.

const INLINE: usize = 4;

/// The values a match captured, in the rule's variable order, borrowed from the
/// request's host and path. Up to four live inline; more spill to the heap.
/// (Plain arrays rather than a small-vector crate keep the type covariant in `'p`.)
#[derive(Debug, Clone, Default)]
pub struct Params<'p> {
    inline: [&'p str; INLINE],
    len: usize,
    /// Every value while there are more than `INLINE`; empty otherwise.
    spill: Vec<&'p str>,
}

impl<'p> Params<'p> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline(always)]
    pub(crate) fn push(&mut self, value: &'p str) {
        if self.len < INLINE {
            self.inline[self.len] = value;
        } else {
            if self.len == INLINE {
                self.spill.extend_from_slice(&self.inline);
            }
            self.spill.push(value);
        }
        self.len += 1;
    }

    #[inline]
    pub(crate) fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        if self.len > INLINE {
            if len <= INLINE {
                self.inline[..len].copy_from_slice(&self.spill[..len]);
                self.spill.clear();
            } else {
                self.spill.truncate(len);
            }
        }
        self.len = len;
    }

    /// The values as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[&'p str] {
        if self.len <= INLINE {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &'p str> + '_ {
        self.as_slice().iter().copied()
    }

    pub fn get(&self, index: usize) -> Option<&'p str> {
        self.as_slice().get(index).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::Params;

    #[test]
    fn spills_past_four_and_comes_back_inline() {
        let names = ["a", "b", "c", "d", "e", "f", "g"];
        let mut params = Params::new();
        for (i, name) in names.iter().enumerate() {
            params.push(name);
            assert_eq!(params.as_slice(), &names[..=i]);
        }
        for len in [6, 5, 4, 2] {
            params.truncate(len);
            assert_eq!(params.as_slice(), &names[..len]);
        }
        for name in &names[2..] {
            params.push(name);
        }
        assert_eq!(params.as_slice(), &names[..]);
        params.truncate(5);
        params.push("x");
        assert_eq!(params.as_slice(), ["a", "b", "c", "d", "e", "x"]);
        params.truncate(0);
        assert!(params.is_empty());
        assert_eq!(params.get(0), None);
    }
}
