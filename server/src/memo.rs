//! Answers of pure functions of a text, remembered process-wide: the same shell scripts and
//! `FROM` images come back on every keystroke and in every open document.

use std::sync::{LazyLock, Mutex};

use rustc_hash::FxHashMap;

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
        // An answer is inserted whole: a panic elsewhere leaves the map usable.
        let lock = || {
            self.answers
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        };
        if let Some(known) = lock().get(key) {
            return known.clone();
        }
        let made = make();
        let mut answers = lock();
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
}
