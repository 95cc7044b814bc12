//! Answers of pure functions, remembered process-wide: the same shell scripts and `FROM` images
//! come back on every keystroke and in every open document.
//!
//! Three kinds, by how long an answer may live:
//! - [`Shared`]: one value per text, for as long as some document holds it. Identical `RUN`
//!   scripts share one parse, and a script edited away is forgotten with the last version that
//!   had it, so typing does not make the process grow.
//! - [`Attached`]: a value worked out from a shared value, living exactly as long as it.
//! - [`Memo`]: small answers kept up to a count, then started over (nothing else holds them).

use std::sync::{Arc, LazyLock, Mutex, Weak};

use rustc_hash::FxHashMap;

// Entries are inserted whole, so a table is usable after a panic elsewhere.
use crate::lock;

/// Fewest entries before dead ones are swept out.
const FIRST_SWEEP: usize = 64;

/// Entries whose value has died since the last sweep are removed once the table has doubled,
/// so dead entries never outnumber live ones by much and the cost is amortised.
struct Table<K, V> {
    entries: FxHashMap<K, V>,
    sweep_at: usize,
}

impl<K: std::hash::Hash + Eq, V> Table<K, V> {
    fn new() -> Self {
        Table {
            entries: FxHashMap::default(),
            sweep_at: FIRST_SWEEP,
        }
    }

    fn insert(&mut self, key: K, value: V, alive: impl Fn(&V) -> bool) {
        if self.entries.len() >= self.sweep_at {
            self.entries.retain(|_, value| alive(value));
            self.entries.shrink_to_fit();
            self.sweep_at = (self.entries.len() * 2).max(FIRST_SWEEP);
        }
        self.entries.insert(key, value);
    }
}

/// A table made on first use, for a `static`.
type Lazy<K, V> = LazyLock<Mutex<Table<K, V>>>;

/// One value per text while anyone holds it.
pub struct Shared<T> {
    table: Lazy<Box<str>, Weak<T>>,
}

impl<T> Shared<T> {
    pub const fn new() -> Shared<T> {
        Shared {
            table: LazyLock::new(|| Mutex::new(Table::new())),
        }
    }

    /// The value some holder already has for `key`, or `make`'s (computed without the lock).
    pub fn get_or_insert_with(&self, key: &str, make: impl FnOnce() -> T) -> Arc<T> {
        let known = |table: &Table<Box<str>, Weak<T>>| table.entries.get(key)?.upgrade();
        if let Some(value) = known(&lock(&self.table)) {
            return value;
        }
        let made = Arc::new(make());
        let mut table = lock(&self.table);
        // Another thread may have made the same value meanwhile: share theirs.
        if let Some(value) = known(&table) {
            return value;
        }
        table.insert(key.into(), Arc::downgrade(&made), |weak| {
            weak.strong_count() > 0
        });
        made
    }

    #[cfg(test)]
    fn entries(&self) -> usize {
        lock(&self.table).entries.len()
    }
}

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared::new()
    }
}

/// A value worked out from a shared `Arc<O>`, kept while that `Arc` lives.
pub struct Attached<O, V> {
    /// By the owner's address. A `Weak` keeps its allocation, so while an entry exists no other
    /// owner can have that address: an entry found under a live owner's address is its own.
    table: Lazy<usize, (Weak<O>, V)>,
}

impl<O, V: Clone> Attached<O, V> {
    pub const fn new() -> Attached<O, V> {
        Attached {
            table: LazyLock::new(|| Mutex::new(Table::new())),
        }
    }

    /// The value attached to `owner`, or `make`'s (computed without the lock).
    pub fn get_or_insert_with(&self, owner: &Arc<O>, make: impl FnOnce() -> V) -> V {
        let address = Arc::as_ptr(owner) as usize;
        if let Some((_, value)) = lock(&self.table).entries.get(&address) {
            return value.clone();
        }
        let made = make();
        lock(&self.table).insert(
            address,
            (Arc::downgrade(owner), made.clone()),
            |(weak, _)| weak.strong_count() > 0,
        );
        made
    }

    #[cfg(test)]
    fn entries(&self) -> usize {
        lock(&self.table).entries.len()
    }
}

impl<O, V: Clone> Default for Attached<O, V> {
    fn default() -> Self {
        Attached::new()
    }
}

/// A bounded map from text to answer. When full it starts over: an answer is cheap to
/// recompute once, and a long session must not grow it without end.
pub struct Memo<V> {
    limit: usize,
    answers: LazyLock<Mutex<FxHashMap<String, V>>>,
}

impl<V: Clone> Memo<V> {
    pub const fn new(limit: usize) -> Memo<V> {
        Memo {
            limit,
            answers: LazyLock::new(Default::default),
        }
    }

    /// The answer remembered for `key`, or `make`'s (computed without the lock held).
    pub fn get_or_insert_with(&self, key: &str, make: impl FnOnce() -> V) -> V {
        if let Some(known) = lock(&self.answers).get(key) {
            return known.clone();
        }
        let made = make();
        let mut answers = lock(&self.answers);
        if answers.len() >= self.limit {
            answers.clear();
        }
        answers.insert(key.to_string(), made.clone());
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_answers_and_starts_over_when_full() {
        static SQUARES: Memo<usize> = Memo::new(2);
        let made = std::cell::Cell::new(0);
        let square = |key: &str| {
            SQUARES.get_or_insert_with(key, || {
                made.set(made.get() + 1);
                key.len() * key.len()
            })
        };
        assert_eq!(square("abc"), 9);
        assert_eq!(square("abc"), 9);
        assert_eq!(square("ab"), 4);
        assert_eq!(made.get(), 2);
        // Full: the third text empties the map first.
        assert_eq!(square("a"), 1);
        assert_eq!(square("abc"), 9);
        assert_eq!(made.get(), 4);
    }

    #[test]
    fn shares_a_value_while_it_is_held_and_forgets_it_after() {
        let shared: Shared<String> = Shared::new();
        let made = std::cell::Cell::new(0);
        let get = |key: &str| {
            shared.get_or_insert_with(key, || {
                made.set(made.get() + 1);
                key.to_uppercase()
            })
        };
        let held = get("apt-get update");
        let again = get("apt-get update");
        assert!(Arc::ptr_eq(&held, &again));
        assert_eq!(made.get(), 1);
        drop((held, again));
        // Nobody holds it any more: it is made again.
        assert_eq!(*get("apt-get update"), "APT-GET UPDATE");
        assert_eq!(made.get(), 2);
    }

    #[test]
    fn shared_entries_of_dropped_values_are_swept() {
        let shared: Shared<usize> = Shared::new();
        let kept: Vec<Arc<usize>> = (0..10)
            .map(|number| shared.get_or_insert_with(&format!("kept {number}"), || number))
            .collect();
        // Ten thousand texts typed one after another, each dropped at once.
        for number in 0..10_000 {
            shared.get_or_insert_with(&format!("typed {number}"), || number);
        }
        assert!(shared.entries() <= FIRST_SWEEP, "{}", shared.entries());
        // The held values survived every sweep and are still shared.
        for (number, value) in kept.iter().enumerate() {
            let again = shared.get_or_insert_with(&format!("kept {number}"), || usize::MAX);
            assert!(Arc::ptr_eq(value, &again));
        }
    }

    #[test]
    fn attached_values_live_as_long_as_their_owner() {
        let attached: Attached<String, usize> = Attached::new();
        let made = std::cell::Cell::new(0);
        let length = |owner: &Arc<String>| {
            attached.get_or_insert_with(owner, || {
                made.set(made.get() + 1);
                owner.len()
            })
        };
        let owner = Arc::new("apk add curl".to_string());
        assert_eq!(length(&owner), 12);
        assert_eq!(length(&owner.clone()), 12);
        assert_eq!(made.get(), 1);
        // Owners come and go; the table never holds many more entries than live owners.
        for number in 0..10_000 {
            let transient = Arc::new("x".repeat(number % 7));
            assert_eq!(length(&transient), number % 7);
        }
        assert!(attached.entries() <= FIRST_SWEEP, "{}", attached.entries());
        assert_eq!(length(&owner), 12);
    }
}
