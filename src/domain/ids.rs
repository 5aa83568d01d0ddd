//! The ids a unit's new records are given when whoever adds them leaves the id to vlu.
//!
//! Victims are `V-NNNN`; cases `C-YYYY-NNN` in the year they are added. The number is one
//! more than the highest of that shape already used, so an id is never handed out twice
//! while the record that holds it exists. Who may call this — one writer at a time — is the
//! store's business: the unit service gives ids, never a screen.

/// One more than the highest number among `taken` ids of the shape `PREFIX` + digits,
/// written with at least `width` digits.
pub fn next_after<'a>(
    prefix: &str,
    width: usize,
    taken: impl IntoIterator<Item = &'a str>,
) -> String {
    let highest = taken
        .into_iter()
        .filter_map(|id| id.strip_prefix(prefix))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|n| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:0width$}", highest.saturating_add(1))
}

/// The prefix of the victim ids vlu gives.
pub const VICTIM_PREFIX: &str = "V-";

/// The prefix of the case ids vlu gives in `year`.
pub fn case_prefix(year: i32) -> String {
    format!("C-{year}-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_id_follows_the_highest_of_its_shape() {
        let taken = [
            "V-0001",
            "V-0042",
            "V-0007",
            "C-2026-009",
            "V-12x",
            "V-",
            "X-0100",
        ];
        assert_eq!(next_after("V-", 4, taken), "V-0043");
        assert_eq!(next_after("C-2026-", 3, taken), "C-2026-010");
        assert_eq!(next_after("C-2027-", 3, taken), "C-2027-001");
    }

    #[test]
    fn numbers_past_the_width_keep_counting() {
        assert_eq!(next_after("V-", 4, ["V-9999"]), "V-10000");
        assert_eq!(next_after("V-", 4, ["V-10000", "V-9999"]), "V-10001");
        assert_eq!(next_after("V-", 4, std::iter::empty()), "V-0001");
    }
}
