//! Static keys to nodes, for the tree's static children and its all-static
//! rules: each key is compared by its [`Probe`] (its length and first and last
//! eight bytes), scanned while a table holds up to [`SCAN_LIMIT`] keys and found
//! by open addressing above. [`segment`] reads a path segment's probe straight
//! from the path, eight bytes at a time.
use crate::tree::NodeId;

/// Above this many keys a table indexes them by hash instead of scanning.
const SCAN_LIMIT: usize = 8;

/// A key as compared: its length and its first and last eight bytes (the key
/// itself, zero-padded, up to eight bytes), which are the whole key up to 16
/// bytes. Longer keys that agree here are compared whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Probe {
    head: u64,
    tail: u64,
    len: usize,
}

impl Probe {
    /// Keys up to this long are equal when their probes are.
    const WHOLE: usize = 16;

    fn new(key: &[u8]) -> Self {
        let len = key.len();
        if len <= 8 {
            return Self {
                head: word(key),
                tail: 0,
                len,
            };
        }
        Self {
            head: word(&key[..8]),
            tail: word(&key[len - 8..]),
            len,
        }
    }

    /// A hash of the probe (wyhash's folded multiply: every input bit reaches
    /// the low bits). The keys in a table are the rules' text, fixed while
    /// serving, so a request's key costs at most one probe sequence of a fixed
    /// table.
    #[inline]
    fn hash(self) -> u64 {
        let product = u128::from(self.head ^ 0xa076_1d64_78bd_642f)
            * u128::from(self.tail ^ 0xe703_7ed1_a0b4_28db ^ self.len as u64);
        (product as u64) ^ (product >> 64) as u64
    }
}

/// Up to eight bytes as a little-endian integer, zero-padded.
#[inline]
pub(crate) fn word(bytes: &[u8]) -> u64 {
    if let Ok(eight) = <[u8; 8]>::try_from(bytes) {
        return u64::from_le_bytes(eight);
    }
    let mut word = 0;
    for (i, &b) in bytes.iter().take(8).enumerate() {
        word |= u64::from(b) << (8 * i);
    }
    word
}

/// Whether `a` and `b` hold the same bytes: a few overlapping loads of up to
/// eight bytes each, cheaper than a call to `memcmp` for the short texts of
/// path segments.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn at<const N: usize>(bytes: &[u8], i: usize) -> [u8; N] {
        bytes[i..i + N].try_into().unwrap_or([0; N])
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        1 => a[0] == b[0],
        2..=3 => at::<2>(a, 0) == at::<2>(b, 0) && at::<2>(a, n - 2) == at::<2>(b, n - 2),
        4..=7 => at::<4>(a, 0) == at::<4>(b, 0) && at::<4>(a, n - 4) == at::<4>(b, n - 4),
        _ => {
            let mut i = 0;
            while i + 8 < n {
                if at::<8>(a, i) != at::<8>(b, i) {
                    return false;
                }
                i += 8;
            }
            at::<8>(a, n - 8) == at::<8>(b, n - 8)
        }
    }
}

/// A one in every byte: times a byte value, that byte in every lane.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The lowest byte of `word` that is a `/`, if any.
#[inline]
fn slash_in(word: u64) -> Option<usize> {
    // Bytes equal to `/` become zero; the lowest set high bit marks the first
    // (the borrow can only mark bytes above a true zero).
    let x = word ^ (ONES * u64::from(b'/'));
    let zeros = x.wrapping_sub(ONES) & !x & (ONES << 7);
    (zeros != 0).then(|| (zeros.trailing_zeros() / 8) as usize)
}

/// The path segment starting at `at` (at most `bytes.len()`): where it ends
/// (the next `/` or the path's end) and its probe, from one load for a segment
/// of up to seven bytes.
#[inline(always)]
pub(crate) fn segment(bytes: &[u8], at: usize) -> (usize, Probe) {
    let len = bytes.len();
    let rest = len.saturating_sub(at);
    // The (up to) eight bytes from `at`, zero-padded.
    let first = if rest >= 8 {
        word(&bytes[at..at + 8])
    } else if rest == 0 {
        0
    } else if len >= 8 {
        // The path's last eight bytes, shifted down to start at `at`.
        word(&bytes[len - 8..]) >> (8 * (8 - rest))
    } else {
        word(bytes.get(at..).unwrap_or_default())
    };
    if let Some(n) = slash_in(first) {
        let head = if n == 0 {
            0
        } else {
            first & (u64::MAX >> (64 - 8 * n))
        };
        let probe = Probe {
            head,
            tail: 0,
            len: n,
        };
        return (at + n, probe);
    }
    if rest <= 8 {
        let probe = Probe {
            head: first,
            tail: 0,
            len: rest,
        };
        return (len, probe);
    }
    let end = find_slash(bytes, at + 8).unwrap_or(len);
    let tail = if end - at > 8 {
        word(&bytes[end - 8..end])
    } else {
        0
    };
    let probe = Probe {
        head: first,
        tail,
        len: end - at,
    };
    (end, probe)
}

/// The first `/` in `bytes` at or after `from`, eight bytes at a time.
fn find_slash(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut offset = from;
    for chunk in &mut chunks {
        if let Some(n) = slash_in(word(chunk)) {
            return Some(offset + n);
        }
        offset += 8;
    }
    let tail = chunks.remainder().iter().position(|&b| b == b'/');
    tail.map(|i| offset + i)
}

/// A static key and its node.
#[derive(Debug, Clone)]
struct Entry {
    probe: Probe,
    key: Box<[u8]>,
    node: NodeId,
}

impl Entry {
    #[inline]
    fn is(&self, probe: Probe, key: &[u8]) -> bool {
        self.probe == probe && (probe.len <= Probe::WHOLE || self.is_long(key))
    }

    #[cold]
    #[inline(never)]
    fn is_long(&self, key: &[u8]) -> bool {
        *self.key == *key
    }
}

/// Text keys to nodes: scanned when few, an open-addressing table of hashes
/// when many.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    entries: Vec<Entry>,
    /// Entry index + 1 per slot (0: empty), a power of two at least four times
    /// the entries (short probe sequences); empty while the entries are scanned.
    slots: Box<[u32]>,
}

impl Table {
    #[inline]
    pub(crate) fn get(&self, key: &[u8]) -> Option<NodeId> {
        self.find(Probe::new(key), key)
    }

    /// The key and node of a table that holds exactly one.
    pub(crate) fn only(&self) -> Option<(&[u8], NodeId)> {
        match &self.entries[..] {
            [entry] => Some((&entry.key, entry.node)),
            _ => None,
        }
    }

    /// The node of `key`, whose probe is `probe`.
    #[inline]
    pub(crate) fn find(&self, probe: Probe, key: &[u8]) -> Option<NodeId> {
        if self.slots.is_empty() {
            self.entries
                .iter()
                .find(|e| e.is(probe, key))
                .map(|e| e.node)
        } else {
            self.lookup(probe, key)
        }
    }

    /// The probe sequence of `probe` up to its first entry with an equal
    /// probe, which is the key's when the key is short.
    #[inline(never)]
    fn lookup(&self, probe: Probe, key: &[u8]) -> Option<NodeId> {
        let mask = self.slots.len() - 1;
        let mut slot = probe.hash() as usize & mask;
        loop {
            let index = self.slots[slot] as usize;
            let entry = self.entries.get(index.checked_sub(1)?)?;
            if entry.probe == probe {
                return match probe.len <= Probe::WHOLE {
                    true => Some(entry.node),
                    false => self.lookup_long(slot, key),
                };
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The rest of [`Table::lookup`] for a long key, from the slot whose
    /// entry's probe is the key's, comparing whole keys.
    #[cold]
    #[inline(never)]
    fn lookup_long(&self, mut slot: usize, key: &[u8]) -> Option<NodeId> {
        let mask = self.slots.len() - 1;
        loop {
            let index = self.slots[slot] as usize;
            let entry = self.entries.get(index.checked_sub(1)?)?;
            if entry.is_long(key) {
                return Some(entry.node);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Adds `key` (not already present).
    pub(crate) fn insert(&mut self, key: &[u8], node: NodeId) {
        self.entries.push(Entry {
            probe: Probe::new(key),
            key: key.into(),
            node,
        });
        let n = self.entries.len();
        if n <= SCAN_LIMIT {
            return;
        }
        if self.slots.len() < 4 * n {
            self.slots = vec![0; (4 * n).next_power_of_two()].into();
            for index in 0..n {
                self.place(index);
            }
        } else {
            self.place(n - 1);
        }
    }

    fn place(&mut self, index: usize) {
        let mask = self.slots.len() - 1;
        let mut slot = self.entries[index].probe.hash() as usize & mask;
        while self.slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = index as u32 + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    #[test]
    fn same_bytes_sees_every_byte() {
        for len in 0..40 {
            let a: Vec<u8> = (0..len as u8).map(|i| b'a' + i % 26).collect();
            assert!(same_bytes(&a, &a.clone()), "{len}");
            for at in 0..len {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same_bytes(&a, &b), "{len} {at}");
            }
            assert!(!same_bytes(&a, &a[..len.saturating_sub(1)]) || len == 0);
        }
    }
}
