//! Nearest-name suggestions for misspelt words (flags, mount keys, signals): the edit
//! distance over characters with swapped neighbours as one edit (optimal string alignment),
//! and the closest candidate within a small distance.

/// The number of single-character insertions, deletions, substitutions and swaps of two
/// neighbours from `a` to `b` (`form` → `from` is one edit): strsim's optimal string
/// alignment distance.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The candidate closest to `word`, when it is close enough to be a typo: at most two edits,
/// and at most one edit for every two characters of the word (so `foo` does not become
/// `fpe`, nor `x` become `ro`).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let (edits, best) = candidates
        .into_iter()
        .map(|candidate| (distance(word, candidate), candidate))
        .min_by_key(|(edits, _)| *edits)?;
    (edits <= 2 && edits * 2 <= word.chars().count()).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_nearest() {
        assert_eq!(distance("form", "from"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("ca", "abc"), 3);
        assert_eq!(distance("chmod", "chmod"), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(nearest("form", ["from", "chown", "chmod"]), Some("from"));
        assert_eq!(nearest("chmood", ["from", "chown", "chmod"]), Some("chmod"));
        assert_eq!(nearest("x", ["from", "ro"]), None);
        assert_eq!(nearest("zzzzzz", ["from"]), None);
        assert_eq!(nearest("foo", ["fpe", "term"]), None);
    }
}
