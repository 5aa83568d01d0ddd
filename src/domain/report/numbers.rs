//! The return's numbers with one decimal: percentages and medians, held as tenths so that
//! they compare and print exactly.

use serde::{Deserialize, Serialize};

/// A figure with one decimal, held as tenths (`77.8` is 778), written as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(pub u32);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

impl Serialize for Tenths {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(f64::from(self.0) / 10.0)
    }
}

impl<'de> Deserialize<'de> for Tenths {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let x = f64::deserialize(d)?;
        let tenths = (x * 10.0).round();
        if !(0.0..=f64::from(u32::MAX)).contains(&tenths) {
            return Err(serde::de::Error::custom("a figure out of range"));
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked to be a whole number within u32 just above"
        )]
        Ok(Self(tenths as u32))
    }
}

/// `part` of `whole` as a percentage with one decimal, rounded half up; `None` of nothing.
pub fn percent(part: u32, whole: u32) -> Option<Tenths> {
    if whole == 0 {
        return None;
    }
    let tenths = (u64::from(part) * 2000 + u64::from(whole)) / (2 * u64::from(whole));
    Some(Tenths(u32::try_from(tenths).unwrap_or(u32::MAX)))
}

/// The middle value, or the mean of the two middle values, with one decimal; `None` of none.
pub fn median(values: &mut [u32]) -> Option<Tenths> {
    values.sort_unstable();
    let n = values.len();
    if n == 0 {
        return None;
    }
    let tenths = if n % 2 == 1 {
        u64::from(values[n / 2]) * 10
    } else {
        (u64::from(values[n / 2 - 1]) + u64::from(values[n / 2])) * 5
    };
    Some(Tenths(u32::try_from(tenths).unwrap_or(u32::MAX)))
}
