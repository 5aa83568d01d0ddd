//! Equality monitoring: for each protected characteristic the unit records, the victims
//! referred and the victims who opted in during the period, by the value recorded — every
//! group of fewer than five shown as `<5`, and never one that the totals would give away.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::enums::EQUALITY_KEYS;

/// Why a return does not carry the equality breakdown, or `None` when it does. Tables are
/// published only for periods that never overlap — single calendar quarters, once ended —
/// and only for the whole unit: two published tables then never share a victim unless they
/// are the same table, so no cell can be worked out by taking one return from another
/// (a year less three of its quarters, one week's return less the next, a unit's less an
/// officer's). Within each table, small groups are suppressed ([`suppress`]).
pub fn why_not(q: &super::ReportQuery) -> Option<String> {
    use chrono::Datelike;
    let starts_a_quarter = q.from.day() == 1 && (q.from.month() - 1).is_multiple_of(3);
    let ends_it = q
        .from
        .checked_add_months(chrono::Months::new(3))
        .and_then(|n| n.pred_opt());
    let whole_quarter = starts_a_quarter && ends_it == Some(q.to);
    let said = if q.officer.is_some() {
        "Equality monitoring is given for the whole unit only: an officer's return, set \
         beside the unit's, would single out small groups."
    } else if starts_a_quarter && ends_it.is_some_and(|end| q.to < end) {
        "Equality monitoring for a quarter is given once the quarter has ended: a return \
         made again a day later would single out that day's victims."
    } else if !whole_quarter {
        "Equality monitoring is given for single calendar quarters only (January to March, \
         April to June, July to September, October to December): returns of periods that \
         overlap, set side by side, would single out small groups. Ask for each quarter of \
         the period."
    } else if q.to >= q.made_on {
        "Equality monitoring for this quarter is given once it has ended: a return made \
         again a day later would single out that day's victims."
    } else {
        return None;
    };
    Some(said.to_owned())
}

/// The group of victims with no value recorded, or `not stated`.
pub const NOT_STATED: &str = "not stated";

/// Groups smaller than this (and more than none) are shown as `<5`.
const SMALL: u32 = 5;

/// One figure of a breakdown as it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The count itself (0, or 5 or more).
    Shown(u32),
    /// 1 to 4: shown as `<5`.
    Small,
    /// Withheld, shown as `*`, so that a `<5` cannot be worked out from the total.
    Withheld,
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Shown(n) => write!(f, "{n}"),
            Cell::Small => f.write_str("<5"),
            Cell::Withheld => f.write_str("*"),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Shown(n) => s.serialize_u32(*n),
            other => s.serialize_str(&other.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Count(u32),
            Mark(String),
        }
        match Wire::deserialize(d)? {
            Wire::Count(n) => Ok(Cell::Shown(n)),
            Wire::Mark(m) if m == "<5" => Ok(Cell::Small),
            Wire::Mark(m) if m == "*" => Ok(Cell::Withheld),
            Wire::Mark(m) => Err(serde::de::Error::custom(format!("not a figure: {m}"))),
        }
    }
}

/// The victims of one recorded value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The value as the victims gave it (its most common spelling), or `not stated`.
    pub value: String,
    pub referred: Cell,
    pub opted_in: Cell,
}

/// One characteristic's breakdown: the values in alphabetical order, `not stated` last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Characteristic {
    pub characteristic: String,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Default)]
struct GroupTally {
    /// Each spelling of the value seen, with how many victims gave it.
    spellings: BTreeMap<String, u32>,
    referred: u32,
    opted_in: u32,
}

/// One victim's values of the nine characteristics, in `EQUALITY_KEYS`' order.
#[derive(Clone, Copy)]
pub(super) struct Values<'a>(pub(super) &'a [Option<String>]);

impl Values<'_> {
    fn get(&self, i: usize) -> Option<&str> {
        self.0.get(i).and_then(Option::as_deref)
    }
}

/// The breakdowns so far.
#[derive(Debug, Clone, Default)]
pub(super) struct Tally {
    /// Which characteristics (by place in `EQUALITY_KEYS`) any victim has a value for.
    recorded: [bool; 9],
    /// For each characteristic, its groups by folded value (`None`: not stated).
    groups: [BTreeMap<Option<String>, GroupTally>; 9],
}

/// The value a victim gave, folded for grouping: spaces trimmed and runs of them made one,
/// letters in lower case; `None` for nothing, blank or `not stated`.
fn folded(value: Option<&str>) -> Option<String> {
    let words: Vec<&str> = value?.split_whitespace().collect();
    let folded = words.join(" ").to_lowercase();
    (!folded.is_empty() && folded != NOT_STATED).then_some(folded)
}

impl Tally {
    /// A victim of the unit (whoever they are allocated to): which characteristics it records.
    pub(super) fn seen(&mut self, values: Values<'_>) {
        for (i, recorded) in self.recorded.iter_mut().enumerate() {
            *recorded |= values.get(i).is_some();
        }
    }

    /// A victim of the report, referred and/or opted in during the period.
    pub(super) fn add(&mut self, values: Values<'_>, referred: bool, opted_in: bool) {
        if !referred && !opted_in {
            return;
        }
        for i in 0..EQUALITY_KEYS.len() {
            let value = values.get(i);
            let group = self.groups[i].entry(folded(value)).or_default();
            if let Some(v) = value.filter(|_| folded(value).is_some()) {
                let spelling = v.split_whitespace().collect::<Vec<_>>().join(" ");
                *group.spellings.entry(spelling).or_default() += 1;
            }
            group.referred += u32::from(referred);
            group.opted_in += u32::from(opted_in);
        }
    }

    pub(super) fn merge(&mut self, other: Tally) {
        for (i, groups) in other.groups.into_iter().enumerate() {
            self.recorded[i] |= other.recorded[i];
            for (key, g) in groups {
                let mine = self.groups[i].entry(key).or_default();
                for (spelling, n) in g.spellings {
                    *mine.spellings.entry(spelling).or_default() += n;
                }
                mine.referred += g.referred;
                mine.opted_in += g.opted_in;
            }
        }
    }

    /// Each recorded characteristic's breakdown, with small groups suppressed.
    pub(super) fn finish(mut self) -> Vec<Characteristic> {
        let mut out = Vec::new();
        for (i, key) in EQUALITY_KEYS.iter().enumerate() {
            if !self.recorded[i] {
                continue;
            }
            let mut groups = std::mem::take(&mut self.groups[i]);
            let not_stated = groups.remove(&None).unwrap_or_default();
            let mut named: Vec<(String, GroupTally)> = groups
                .into_values()
                .map(|g| (most_common(&g.spellings), g))
                .collect();
            named.sort_by(|a, b| (a.0.to_lowercase(), &a.0).cmp(&(b.0.to_lowercase(), &b.0)));
            named.push((NOT_STATED.to_owned(), not_stated));
            let referred = suppress(&named.iter().map(|(_, g)| g.referred).collect::<Vec<_>>());
            let opted_in = suppress(&named.iter().map(|(_, g)| g.opted_in).collect::<Vec<_>>());
            let groups = named
                .into_iter()
                .zip(referred.into_iter().zip(opted_in))
                .map(|((value, _), (referred, opted_in))| Group {
                    value,
                    referred,
                    opted_in,
                })
                .collect();
            out.push(Characteristic {
                characteristic: (*key).to_owned(),
                groups,
            });
        }
        out
    }
}

/// The spelling most victims gave (of equals, the first in alphabetical order).
fn most_common(spellings: &BTreeMap<String, u32>) -> String {
    spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| s.clone())
        .unwrap_or_default()
}

/// One column of a breakdown as it may be shown, its total being published: every count of
/// 1 to 4 is `<5`; then, while what is hidden could still be worked out from the total and
/// what is shown, the smallest shown count (non-zero first) is withheld too; and if even
/// that is not enough, every `<5` becomes `*`.
///
/// What is hidden cannot be worked out when at least two cells are hidden and their sum
/// (the total less what is shown) lies strictly between the least and the most they could
/// hold (a `<5` holds 1 to 4, a `*` anything): then every hidden cell could be more than one
/// number. One `<5` alone is its own sum; two `<5`s summing to 2 are both 1.
pub fn suppress(counts: &[u32]) -> Vec<Cell> {
    let mut cells: Vec<Cell> = counts
        .iter()
        .map(|&n| {
            if (1..SMALL).contains(&n) {
                Cell::Small
            } else {
                Cell::Shown(n)
            }
        })
        .collect();
    while !safe(counts, &cells) {
        let next = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, Cell::Shown(_)))
            .min_by_key(|(i, _)| (counts[*i] == 0, counts[*i], *i))
            .map(|(i, _)| i);
        if let Some(i) = next {
            cells[i] = Cell::Withheld;
        } else {
            for c in &mut cells {
                if *c == Cell::Small {
                    *c = Cell::Withheld;
                }
            }
            break;
        }
    }
    cells
}

fn safe(counts: &[u32], cells: &[Cell]) -> bool {
    let hidden: Vec<usize> = (0..cells.len())
        .filter(|&i| !matches!(cells[i], Cell::Shown(_)))
        .collect();
    if hidden.is_empty() {
        return true;
    }
    if hidden.len() < 2 {
        return false;
    }
    let sum: u64 = hidden.iter().map(|&i| u64::from(counts[i])).sum();
    let smalls = hidden.iter().filter(|&&i| cells[i] == Cell::Small).count() as u64;
    let any_withheld = hidden.iter().any(|&i| cells[i] == Cell::Withheld);
    let least = smalls;
    let most = (!any_withheld).then_some(smalls * u64::from(SMALL - 1));
    least < sum && most.is_none_or(|m| sum < m)
}

#[cfg(test)]
mod tests {
    use super::Cell::{Shown, Small, Withheld};
    use super::*;

    #[test]
    fn small_groups_are_less_than_five_and_never_given_away_by_the_total() {
        // Nothing small: shown as it is, zeros included.
        assert_eq!(suppress(&[7, 0, 12]), [Shown(7), Shown(0), Shown(12)]);
        // One <5 would be the total less the rest: the next smallest is withheld too.
        assert_eq!(suppress(&[3, 9, 6]), [Small, Shown(9), Withheld]);
        // Non-zero before zero: withholding a 0 beside a 1 would leave 1 = 1 + 0.
        assert_eq!(suppress(&[1, 0, 8]), [Small, Shown(0), Withheld]);
        // Two <5 summing to 2 can only be 1 and 1: a third is withheld.
        assert_eq!(suppress(&[1, 1, 6]), [Small, Small, Withheld]);
        // Two <5 summing to 8 can only be 4 and 4.
        assert_eq!(suppress(&[4, 4, 10, 0]), [Small, Small, Withheld, Shown(0)]);
        // Two <5 that could be several pairs: nothing more is needed.
        assert_eq!(suppress(&[2, 3, 10]), [Small, Small, Shown(10)]);
        // Nothing left to withhold: the <5 become * so no one can be pinned.
        assert_eq!(suppress(&[1, 1]), [Withheld, Withheld]);
        assert_eq!(suppress(&[2, 0]), [Small, Withheld]);
        assert_eq!(suppress(&[0, 0]), [Shown(0), Shown(0)]);
    }

    #[test]
    fn whatever_the_counts_no_hidden_cell_can_be_worked_out() {
        // Every column of three cells of 0 to 9: for each hidden cell, more than one value
        // fits the total, what is shown, and what its mark says.
        for a in 0..10u32 {
            for b in 0..10u32 {
                for c in 0..10u32 {
                    let counts = [a, b, c];
                    let cells = suppress(&counts);
                    for (i, cell) in cells.iter().enumerate() {
                        if let Shown(n) = cell {
                            assert_eq!(*n, counts[i]);
                            assert!(*n == 0 || *n >= SMALL, "{counts:?}");
                        } else {
                            assert!(ambiguous(&counts, &cells, i), "{counts:?} -> {cells:?}");
                        }
                    }
                }
            }
        }
    }

    /// Whether hidden cell `i` could hold two different values, by brute force.
    fn ambiguous(counts: &[u32], cells: &[Cell], i: usize) -> bool {
        let total: u32 = counts.iter().sum();
        let shown: u32 = (0..cells.len())
            .filter_map(|j| match cells[j] {
                Shown(n) => Some(n),
                _ => None,
            })
            .sum();
        let hidden: Vec<usize> = (0..cells.len())
            .filter(|&j| !matches!(cells[j], Shown(_)))
            .collect();
        let range = |j: usize| {
            if cells[j] == Small {
                1..5
            } else {
                0..total + 1
            }
        };
        let mut values = std::collections::BTreeSet::new();
        let mut pick = vec![0u32; hidden.len()];
        walk(0, &hidden, &mut pick, &range, total - shown, i, &mut values);
        values.len() > 1
    }

    /// Every way of filling the hidden cells that adds up to `want`: the values cell `i` takes.
    fn walk(
        k: usize,
        hidden: &[usize],
        pick: &mut Vec<u32>,
        range: &dyn Fn(usize) -> std::ops::Range<u32>,
        want: u32,
        i: usize,
        values: &mut std::collections::BTreeSet<u32>,
    ) {
        if k == hidden.len() {
            if pick.iter().sum::<u32>() == want {
                let at = hidden.iter().position(|&j| j == i).unwrap();
                values.insert(pick[at]);
            }
            return;
        }
        for v in range(hidden[k]) {
            pick[k] = v;
            walk(k + 1, hidden, pick, range, want, i, values);
        }
    }
}
