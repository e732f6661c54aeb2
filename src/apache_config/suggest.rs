//! "Did you mean": the edit distance between a misspelled key or value and the known ones, and
//! the known key a misspelled one most likely meant.

/// Levenshtein distance between two short strings (for "did you mean" on config keys).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidate `key` most likely meant: the same but for case, else the nearest by edit
/// distance if that is within a quarter of the key's length (1 to 3 edits); `None` when
/// nothing is that near.
pub fn closest_key<'a>(
    key: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = key.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&lower, &candidate.to_ascii_lowercase());
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let limit = (key.chars().count() / 4).clamp(1, 3);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_key_takes_case_and_near_misses_only() {
        let keys = ["listenPort", "scanNotActiveBrokerInterval", "aclEnable"];
        assert_eq!(closest_key("listenport", keys), Some("listenPort"));
        assert_eq!(
            closest_key("scanNotActiveBrokerIntervall", keys),
            Some("scanNotActiveBrokerInterval")
        );
        assert_eq!(closest_key("aclEnabled", keys), Some("aclEnable"));
        assert_eq!(closest_key("somethingElse", keys), None);
    }
}
