//! An index from hashes to the positions of items the caller keeps: the groups of
//! `summarize`, the distinct values of `dcount` and `make_set`.
//!
//! A row's key is looked up while it still borrows the source; only a key seen for the first
//! time is copied into the caller's list. `std`'s `HashMap` would need an owned key for the
//! lookup, which is an allocation per row.

/// Open addressing with linear probing; `slots` holds an item's position plus one (0 is
/// empty), and `hashes` each item's hash so that growing needs no rehash of the items.
#[derive(Clone, Debug, Default)]
pub struct HashIndex {
    slots: Vec<u32>,
    hashes: Vec<u64>,
}

pub enum Entry {
    Found(usize),
    /// A new item: the caller pushes it at this position.
    New(usize),
}

impl HashIndex {
    pub fn new() -> HashIndex {
        HashIndex {
            slots: vec![0; 16],
            hashes: Vec::new(),
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The item with this hash for which `same` holds, or a new position for it.
    pub fn entry(&mut self, hash: u64, same: impl Fn(usize) -> bool) -> Entry {
        let mut i = (hash as usize) & self.mask();
        loop {
            match self.slots.get(i).copied() {
                Some(0) | None => break,
                Some(s) => {
                    let item = (s - 1) as usize;
                    if self.hashes.get(item) == Some(&hash) && same(item) {
                        return Entry::Found(item);
                    }
                }
            }
            i = (i + 1) & self.mask();
        }
        let item = self.hashes.len();
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = u32::try_from(item + 1).unwrap_or(u32::MAX);
        }
        self.hashes.push(hash);
        if self.hashes.len() * 2 >= self.slots.len() {
            self.grow();
        }
        Entry::New(item)
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        self.slots = vec![0; size];
        let mask = size - 1;
        for (item, &hash) in self.hashes.iter().enumerate() {
            let mut i = (hash as usize) & mask;
            while self.slots.get(i).is_some_and(|&s| s != 0) {
                i = (i + 1) & mask;
            }
            if let Some(slot) = self.slots.get_mut(i) {
                *slot = u32::try_from(item + 1).unwrap_or(u32::MAX);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_it_was_given_through_growth_and_collisions() {
        let mut index = HashIndex::new();
        let mut items: Vec<u64> = Vec::new();
        for round in 0..2 {
            for k in 0..1000u64 {
                // Every tenth key shares its hash with another, to exercise probing.
                let hash = if k % 10 == 0 {
                    7
                } else {
                    k.wrapping_mul(0x9e37_79b9)
                };
                match index.entry(hash, |i| items[i] == k) {
                    Entry::Found(i) => {
                        assert_eq!(round, 1);
                        assert_eq!(items[i], k);
                    }
                    Entry::New(i) => {
                        assert_eq!(round, 0);
                        assert_eq!(i, items.len());
                        items.push(k);
                    }
                }
            }
        }
        assert_eq!(items.len(), 1000);
    }
}
