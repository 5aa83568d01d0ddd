//! A generated victim's contact log, written as the events of a sentence happen, up to the
//! day the unit is generated for.

use chrono::NaiveDate;

use super::{Generator, names, plus};
use crate::domain::calendar::add_months;
use crate::domain::enums::{
    ContactKind, Direction, InformationLevel, KeyDateKind, Medium, VictimStatus,
};
use crate::domain::model::{Case, Contact, Victim};

/// A victim's contact log, written as events happen up to the `as_of` day.
pub(super) struct Log<'g> {
    pub(super) g: &'g mut Generator,
    pub(super) by: String,
    pub(super) contacts: Vec<Contact>,
}

impl Log<'_> {
    pub(super) fn add(
        &mut self,
        on: NaiveDate,
        kind: ContactKind,
        method: Medium,
        direction: Direction,
        key_date: Option<KeyDateKind>,
    ) {
        if on > self.g.as_of || self.contacts.len() >= 40 {
            return;
        }
        let summary = self.g.rng.pick(names::SUMMARIES);
        self.said(on, (kind, method, direction), key_date, summary);
    }

    /// An entry with its own summary, drawing nothing from the generator's numbers.
    pub(super) fn said(
        &mut self,
        on: NaiveDate,
        (kind, method, direction): (ContactKind, Medium, Direction),
        key_date: Option<KeyDateKind>,
        summary: &str,
    ) {
        if on > self.g.as_of || self.contacts.len() >= 40 {
            return;
        }
        self.contacts.push(Contact {
            on,
            at: None,
            kind,
            method,
            direction,
            summary: Some(summary.to_owned()),
            by: Some(self.by.clone()),
            key_date,
            corrects: None,
            follows: None,
            to: None,
        });
    }

    pub(super) fn letter(
        &mut self,
        on: NaiveDate,
        kind: ContactKind,
        key_date: Option<KeyDateKind>,
    ) {
        self.add(on, kind, Medium::Letter, Direction::Outbound, key_date);
    }

    /// Lapses: a diligent unit still misses about one thing in fifty.
    pub(super) fn done(&mut self) -> bool {
        !self.g.rng.chance(2)
    }

    pub(super) fn simulate(mut self, v: &mut Victim, case: &Case) {
        let as_of = self.g.as_of;
        let offer = plus(v.referred_on, i64::from(5 + self.g.rng.below_u32(25)));
        match v.status {
            VictimStatus::Referred => {}
            VictimStatus::OfferSent => {
                self.letter(offer, ContactKind::InitialOffer, None);
                v.status_since = offer.min(as_of).max(v.referred_on);
                if plus(offer, 92) < as_of && self.done() {
                    self.letter(plus(offer, 80), ContactKind::SecondOffer, None);
                }
                self.offer_again_before_release(v, case);
            }
            VictimStatus::Declined | VictimStatus::OptedOut => {
                self.letter(offer, ContactKind::InitialOffer, None);
                let said = plus(offer, i64::from(7 + self.g.rng.below_u32(60))).min(as_of);
                self.add(
                    said,
                    ContactKind::Decline,
                    Medium::Letter,
                    Direction::Inbound,
                    None,
                );
                v.status_since = said.max(v.referred_on);
            }
            VictimStatus::OptedIn | VictimStatus::Closed => {
                self.letter(offer, ContactKind::InitialOffer, None);
                let since = plus(offer, i64::from(7 + self.g.rng.below_u32(40)))
                    .min(as_of)
                    .max(v.referred_on);
                self.add(
                    since,
                    ContactKind::OptIn,
                    Medium::Phone,
                    Direction::Inbound,
                    None,
                );
                v.status_since = since;
                self.through_the_sentence(v, case, since);
                if v.status == VictimStatus::Closed {
                    let end = self.contacts.last().map_or(since, |c| c.on);
                    self.letter(plus(end, 30).min(as_of), ContactKind::Closure, None);
                }
            }
        }
        self.contacts.sort_by_key(|c| c.on);
        v.contacts = self.contacts;
    }

    pub(super) fn through_the_sentence(&mut self, v: &Victim, case: &Case, since: NaiveDate) {
        let as_of = self.g.as_of;
        let level = v
            .preferences
            .as_ref()
            .and_then(|p| p.information)
            .unwrap_or(InformationLevel::KeyStages);
        self.told_ahead(case, level, since);
        self.calls(since);
        // An annual letter a year after the last outbound contact, while the sentence runs.
        if level != InformationLevel::ReleaseMonth {
            let mut last = since;
            loop {
                let latest = self
                    .contacts
                    .iter()
                    .filter(|c| c.direction == Direction::Outbound && c.on >= last)
                    .map(|c| c.on)
                    .max()
                    .unwrap_or(last);
                let next = plus(add_months(latest, 12), -i64::from(self.g.rng.below_u32(40)));
                if next > as_of || !self.done() {
                    break;
                }
                self.letter(next, ContactKind::AnnualLetter, None);
                last = next;
            }
        }
    }

    /// Letters about the key dates the victim's level covers, told a month or two ahead;
    /// the personal statement's and the licence conditions' offers before them.
    fn told_ahead(&mut self, case: &Case, level: InformationLevel, since: NaiveDate) {
        let as_of = self.g.as_of;
        for kd in &case.key_dates {
            let covered = level == InformationLevel::KeyStages || kd.kind.is_release();
            let tell = plus(kd.date, -i64::from(35 + self.g.rng.below_u32(60)));
            if covered && tell > since && tell <= as_of && self.done() {
                self.letter(tell, ContactKind::Update, Some(kd.kind));
            }
            if kd.kind == KeyDateKind::ParoleHearing && self.done() {
                let ahead = 100 + self.g.rng.below_u32(60);
                self.letter(
                    plus(kd.date, -i64::from(ahead)).max(since),
                    ContactKind::Vps,
                    None,
                );
            }
            if KeyDateKind::LICENCE_TRIGGERS.contains(&kd.kind) && self.done() {
                let ahead = 200 + self.g.rng.below_u32(120);
                self.letter(
                    plus(kd.date, -i64::from(ahead)).max(since),
                    ContactKind::LicenceConditions,
                    None,
                );
            }
        }
    }

    /// Calls, each confirmed in writing (mostly); the odd complaint, acknowledged (mostly).
    fn calls(&mut self, since: NaiveDate) {
        let as_of = self.g.as_of;
        let mut day = since;
        while day < as_of {
            day = plus(day, i64::from(300 + self.g.rng.below_u32(700)));
            if day >= as_of {
                break;
            }
            self.add(
                day,
                ContactKind::Update,
                Medium::Phone,
                Direction::Outbound,
                None,
            );
            if self.done() {
                let later = self.g.rng.below_u32(3);
                self.add(
                    plus(day, i64::from(later)),
                    ContactKind::WrittenFollowUp,
                    Medium::Letter,
                    Direction::Outbound,
                    None,
                );
            }
            if self.g.rng.chance(3) {
                self.add(
                    day,
                    ContactKind::Complaint,
                    Medium::Email,
                    Direction::Inbound,
                    None,
                );
                if self.done() {
                    self.letter(plus(day, 5), ContactKind::ComplaintAck, None);
                }
            }
        }
    }
}
