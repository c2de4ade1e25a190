//! Matched values, kept inline for the usual few.

const INLINE: usize = 4;

/// The values a match captured, in the rule's variable order, borrowed from the
/// request's host and path. Up to four live inline; more spill to the heap.
/// (Plain arrays rather than a small-vector crate keep the type covariant in `'p`.)
#[derive(Debug, Clone, Default)]
pub struct Params<'p> {
    inline: [&'p str; INLINE],
    len: usize,
    /// Every value once there are more than `INLINE`; empty before.
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
        if self.len < INLINE && self.spill.is_empty() {
            self.inline[self.len] = value;
        } else {
            if self.spill.is_empty() {
                self.spill.extend_from_slice(&self.inline[..self.len]);
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
        if !self.spill.is_empty() {
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
        if self.spill.is_empty() {
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
