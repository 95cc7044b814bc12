//! Nearest-name suggestions for misspelt words (flags, mount keys, signals): Levenshtein
//! distance over characters, and the closest candidate within a small distance.

/// The number of single-character insertions, deletions and substitutions from `a` to `b`.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = Vec::with_capacity(b.len() + 1);
    for (i, ca) in a.chars().enumerate() {
        current.clear();
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate closest to `word`, when it is close enough to be a typo: at most two edits,
/// and fewer edits than the word has characters (so `x` does not become `from`).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let (edits, best) = candidates
        .into_iter()
        .map(|candidate| (distance(word, candidate), candidate))
        .min_by_key(|(edits, _)| *edits)?;
    (edits <= 2 && edits < word.chars().count()).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_nearest() {
        assert_eq!(distance("form", "from"), 2);
        assert_eq!(distance("chmod", "chmod"), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(nearest("form", ["from", "chown", "chmod"]), Some("from"));
        assert_eq!(nearest("chmood", ["from", "chown", "chmod"]), Some("chmod"));
        assert_eq!(nearest("x", ["from", "ro"]), None);
        assert_eq!(nearest("zzzzzz", ["from"]), None);
    }
}
