//! Interned strings: a loaded export repeats the same device ids, folders, file names and
//! hashes thousands of times, so evidence holds 4-byte symbols and the dataset holds each
//! distinct string once. This is what keeps a million evidence items within a browser tab.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::num::NonZeroU32;

/// A handle to an interned string. `Option<Sym>` is as small as `Sym`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sym(NonZeroU32);

impl Sym {
    /// The symbol's number: its string's position in the interner, counted from 1. Snapshots
    /// store symbols as this number, with 0 for none; a table indexed by it needs
    /// `Interner::len() + 1` slots.
    pub fn number(self) -> u32 {
        self.0.get()
    }

    /// The symbol with this number, if it is not 0. It names a string only if the interner
    /// holds at least `n` strings; the caller checks.
    pub(crate) fn from_number(n: u32) -> Option<Sym> {
        NonZeroU32::new(n).map(Sym)
    }
}

/// The FxHash function (rustc's): far cheaper than SipHash for short keys, and hash flooding is
/// no concern for data the analyst loads into their own tab.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    fn write_usize(&mut self, i: usize) {
        self.write(&i.to_le_bytes());
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuild>;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<Box<str>>", into = "Vec<Box<str>>")]
pub struct Interner {
    strings: Vec<Box<str>>,
    index: FxHashMap<Box<str>, Sym>,
}

impl From<Vec<Box<str>>> for Interner {
    /// The strings as given, each keeping its position, so that a symbol read with them
    /// names the text it named when written. A string given twice keeps both places (the
    /// index finds the first); `first_repeat` finds it, and a dataset with one is refused
    /// (`model::validate`) rather than read with every later symbol shifted.
    fn from(strings: Vec<Box<str>>) -> Self {
        let mut index = FxHashMap::default();
        let _ = index.try_reserve(strings.len());
        for (i, s) in strings.iter().enumerate() {
            let n = u32::try_from(i + 1)
                .ok()
                .and_then(NonZeroU32::new)
                .unwrap_or(NonZeroU32::MAX);
            index.entry(s.clone()).or_insert(Sym(n));
        }
        Interner { strings, index }
    }
}

impl From<Interner> for Vec<Box<str>> {
    fn from(i: Interner) -> Self {
        i.strings
    }
}

impl Interner {
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(&sym) = self.index.get(text) {
            return sym;
        }
        let n = u32::try_from(self.strings.len() + 1)
            .ok()
            .and_then(NonZeroU32::new)
            .unwrap_or(NonZeroU32::MAX);
        let sym = Sym(n);
        self.strings.push(text.into());
        self.index.insert(text.into(), sym);
        sym
    }

    /// Interns a non-empty string; an empty one is "absent".
    pub fn intern_opt(&mut self, text: &str) -> Option<Sym> {
        (!text.is_empty()).then(|| self.intern(text))
    }

    pub fn get(&self, text: &str) -> Option<Sym> {
        self.index.get(text).copied()
    }

    pub fn text(&self, sym: Sym) -> &str {
        self.strings.get(sym.0.get() as usize - 1).map_or("", |s| s)
    }

    /// Makes room for `additional` more strings, so that a decoder filling the interner never
    /// rehashes a large index in one go. A failure to reserve only means growing as it goes.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let _ = self.strings.try_reserve_exact(additional);
        let _ = self.index.try_reserve(additional);
    }

    /// The first string that appears twice: the positions (0-based) of its first and second
    /// appearance.
    pub fn first_repeat(&self) -> Option<(usize, usize)> {
        if self.index.len() == self.strings.len() {
            return None;
        }
        let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
        self.strings.iter().enumerate().find_map(|(i, s)| {
            let first = *seen.entry(s).or_insert(i);
            (first != i).then_some((first, i))
        })
    }

    /// The string at a 0-based position.
    pub fn text_at(&self, i: usize) -> Option<&str> {
        self.strings.get(i).map(|s| &**s)
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Bytes held by the strings themselves (each is stored twice: in order and in the index).
    pub fn heap_bytes(&self) -> usize {
        self.strings
            .iter()
            .map(|s| 2 * s.len() + 2 * std::mem::size_of::<Box<str>>() + 8)
            .sum()
    }
}
