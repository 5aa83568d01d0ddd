//! The generated unit's victims who never answered, offered contact again before release, as
//! a unit does it with vlu: a letter in the year before the first possible release, now and
//! then returned and traced through the police, and now and then missed.
//!
//! Its numbers come from a generator of their own, seeded by the unit's seed and the
//! victim's id, so that adding this left every other record of a seed's unit as it was.

use chrono::NaiveDate;

use super::log::Log;
use super::plus;
use super::rng::Rng;
use crate::domain::calendar::add_months;
use crate::domain::enums::{ContactKind, Direction, Eligibility, Medium};
use crate::domain::model::{Case, Victim};
use crate::domain::reminders::release_ahead;

/// FNV-1a of the victim's id, mixed with the unit's seed.
fn stream(seed: u64, id: &str) -> Rng {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    Rng::new(seed.rotate_left(17) ^ hash)
}

impl Log<'_> {
    /// A statutory victim who never answered: offered contact again 190 to 340 days before
    /// the release ahead of the as-of day (inside the year that counts, before the reminder
    /// falls due), except one time in ten; one letter in six comes back, and the police are
    /// asked to trace the victim, who is found and written to again two to nine weeks later
    /// two times in three.
    pub(super) fn offer_again_before_release(&mut self, v: &Victim, case: &Case) {
        if v.eligibility != Eligibility::Statutory {
            return;
        }
        let as_of = self.g.as_of;
        let Some((kind, release)) = release_ahead(case, as_of) else {
            return;
        };
        let mut rng = stream(self.g.seed, &v.id);
        let on = plus(release, -i64::from(190 + rng.below_u32(150)));
        let last_offer = self
            .contacts
            .iter()
            .map(|c| c.on)
            .max()
            .unwrap_or(v.status_since);
        if on <= add_months(last_offer, 3) || rng.chance(10) {
            return;
        }
        let letter = (ContactKind::Update, Medium::Letter, Direction::Outbound);
        self.said(
            on,
            letter,
            Some(kind),
            "Offered contact again before the offender's release.",
        );
        if !rng.chance(17) {
            return;
        }
        let asked = plus(on, i64::from(7 + rng.below_u32(14)));
        let agency = (ContactKind::Agency, Medium::Email, Direction::Internal);
        self.said(
            asked,
            agency,
            Some(kind),
            "Letter returned: asked the police to trace the victim before the release.",
        );
        if rng.chance(67) {
            let found: NaiveDate = plus(asked, i64::from(14 + rng.below_u32(50)));
            self.said(found, agency, Some(kind), "The police gave a new address.");
            self.said(
                found,
                letter,
                Some(kind),
                "Offered contact again at the new address.",
            );
        }
    }
}
