//! `vlu generate`: a fictional caseload shaped like a real unit's, the same for the same seed,
//! for measuring vlu at scale. Each victim's log is simulated as a diligent VLO would keep it,
//! with occasional lapses, so that on the `as_of` day a few per cent of victims have something
//! overdue or due soon — as in a real unit, not everything at once.

mod log;
mod names;
mod reoffer;
mod rng;

use chrono::{Datelike, Days, NaiveDate};

use crate::domain::calendar::add_months;
use crate::domain::enums::{
    ContactKind, ContactMethod, Direction, Eligibility, InformationLevel, KeyDateKind,
    LicenceCondition, LicenceOutcome, Medium, OffenceCategory, OfficerRole, SentenceKind,
    VictimRole, VictimStatus,
};
use crate::domain::model::{
    Case, Caseload, Contact, ContactDetails, KeyDate, LicenceRequest, Mappa, Offence, Offender,
    Officer, Preferences, SensitiveDate, Sentence, Unit, Victim,
};
use log::Log;
use rng::Rng;

/// The day the generated unit's logs run up to (the same for every run, so that a seed
/// always gives the same file).
pub const DEFAULT_AS_OF: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();

/// The most victims a unit may be asked for: ten times the largest unit measured
/// (PERFORMANCE.md), and far above any real unit. The unit is built whole in memory, so an
/// unbounded count only ends in running out of it.
pub const MAX_VICTIMS: usize = 1_000_000;

/// The as-of days whose units import cleanly: an offender may be born up to 73 years before
/// the as-of day and a licence end up to 33 years after it, and import takes dates from
/// 1900 to 2100 (`validate::MIN_DATE`, `MAX_DATE`).
pub const FIRST_AS_OF: NaiveDate = NaiveDate::from_ymd_opt(1975, 1, 1).unwrap();
pub const LAST_AS_OF: NaiveDate = NaiveDate::from_ymd_opt(2060, 12, 31).unwrap();

/// Why `generate` would not make a unit of `victims` as of `as_of` that import accepts, as a
/// sentence for the command line.
pub fn refusal(victims: usize, as_of: NaiveDate) -> Option<String> {
    if !(1..=MAX_VICTIMS).contains(&victims) {
        return Some(format!(
            "cannot generate {victims} victims: --victims takes 1 to {MAX_VICTIMS}"
        ));
    }
    if !(FIRST_AS_OF..=LAST_AS_OF).contains(&as_of) {
        return Some(format!(
            "cannot generate a unit as of {as_of}: --as-of takes {FIRST_AS_OF} to {LAST_AS_OF}, \
             so that every date in the unit is one that import accepts"
        ));
    }
    None
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs()))
            .unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(d)
    }
}

struct Generator {
    rng: Rng,
    seed: u64,
    as_of: NaiveDate,
    officers: Vec<Officer>,
}

/// A caseload of `victims` victims (about 1.6 a case, about 10 contacts each).
pub fn generate(victims: usize, seed: u64, as_of: NaiveDate) -> Caseload {
    let mut g = Generator {
        rng: Rng::new(seed),
        seed,
        as_of,
        officers: Vec::new(),
    };
    let officer_count = (victims / 250).clamp(3, 400);
    g.officers = (0..officer_count).map(|i| g.officer(i)).collect();
    let mut cases = Vec::new();
    let mut list = Vec::with_capacity(victims);
    while list.len() < victims {
        let case = g.case(cases.len() + 1);
        let n = g
            .rng
            .weighted(&[(1, 55), (2, 30), (3, 10), (4, 5)])
            .min(victims - list.len());
        for k in 0..n {
            list.push(g.victim(list.len() + 1, &case, k));
        }
        cases.push(case);
    }
    Caseload {
        unit: Some(Unit {
            name: Some(format!("Generated unit (seed {seed})")),
        }),
        officers: g.officers,
        extra_non_working_days: vec![
            NaiveDate::from_ymd_opt(as_of.year(), 12, 24).unwrap_or(as_of),
        ],
        cases,
        victims: list,
        ..Caseload::default()
    }
}

impl Generator {
    fn officer(&mut self, i: usize) -> Officer {
        let (first, last) = (self.rng.pick(names::FIRST), self.rng.pick(names::LAST));
        let role = match i {
            0 => OfficerRole::Manager,
            1 => OfficerRole::Admin,
            _ => OfficerRole::Vlo,
        };
        Officer {
            id: format!("o{:03}", i + 1),
            name: format!("{first} {last}"),
            role: Some(role),
            phone: None,
            email: None,
        }
    }

    fn vlo(&mut self) -> String {
        let i = 2 + self.rng.below(self.officers.len().saturating_sub(2).max(1));
        self.officers[i.min(self.officers.len() - 1)].id.clone()
    }

    fn case(&mut self, n: usize) -> Case {
        use SentenceKind as K;
        let kind = self.rng.weighted(&[
            (K::Sds, 50),
            (K::Eds, 12),
            (K::Sopc, 6),
            (K::Life, 8),
            (K::Ipp, 3),
            (K::Dto, 5),
            (K::HospitalOrder, 3),
            (K::RestrictedHospitalOrder, 4),
            (K::TransferDirection, 2),
            (K::Other, 7),
        ]);
        let imposed = plus(self.as_of, -i64::from(10 + self.rng.below_u32(15 * 365)));
        let months = match kind {
            K::Dto => 12 + self.rng.below_u32(13),
            K::Life | K::Ipp => 120 + self.rng.below_u32(240),
            _ => 12 + self.rng.below_u32(168),
        };
        let category = if self.rng.chance(25) {
            OffenceCategory::Sexual
        } else {
            OffenceCategory::Violent
        };
        let name = format!(
            "{} {}",
            self.rng.pick(names::FIRST),
            self.rng.pick(names::LAST)
        );
        let aliases = if self.rng.chance(15) {
            vec![format!(
                "{} {}",
                self.rng.pick(names::FIRST),
                name.split(' ').nth(1).unwrap_or("")
            )]
        } else {
            Vec::new()
        };
        let year = imposed.year();
        Case {
            id: format!("C-{year}-{n:06}"),
            offender: Offender {
                name,
                aliases,
                dob: Some(plus(
                    imposed,
                    -i64::from(18 * 365 + self.rng.below_u32(40 * 365)),
                )),
                prison_number: Some(format!(
                    "A{:04}{}",
                    self.rng.below(10_000),
                    self.rng.pick(names::LETTER_PAIRS)
                )),
                location: Some((*self.rng.pick(names::PRISONS)).to_owned()),
            },
            offence: Offence {
                description: Some((*self.rng.pick(names::OFFENCES)).to_owned()),
                category,
                specified: Some(true),
            },
            sentence: Sentence {
                kind,
                imposed_on: imposed,
                custodial_months: Some(months),
                court: Some("Northtown Crown Court".into()),
            },
            responsible_officer: None,
            mappa: self.rng.chance(30).then(|| Mappa {
                category: Some(1 + u8::from(self.rng.chance(60))),
                level: Some(1 + u8::from(self.rng.chance(20))),
            }),
            sex_offender_notification: Some(category == OffenceCategory::Sexual),
            key_dates: self.key_dates(kind, imposed, months),
            closed_on: None,
            restricted_patient: None,
            transferred: None,
        }
    }

    fn key_dates(&mut self, kind: SentenceKind, imposed: NaiveDate, months: u32) -> Vec<KeyDate> {
        use KeyDateKind as D;
        let end = add_months(imposed, i32::try_from(months).unwrap_or(120));
        let half = plus(imposed, (end - imposed).num_days() / 2);
        let mut dates: Vec<(D, NaiveDate)> = match kind {
            SentenceKind::Life | SentenceKind::Ipp => {
                vec![(D::TariffExpiry, end), (D::ParoleHearing, plus(end, -60))]
            }
            SentenceKind::Eds | SentenceKind::Sopc => {
                vec![
                    (D::Ped, plus(imposed, (end - imposed).num_days() * 2 / 3)),
                    (D::Crd, end),
                    (D::Led, plus(end, 365 * 3)),
                ]
            }
            SentenceKind::Dto => vec![
                (D::Etd, plus(half, -30)),
                (D::Mtd, half),
                (D::Ltd, plus(half, 30)),
                (D::Sed, end),
            ],
            SentenceKind::HospitalOrder
            | SentenceKind::RestrictedHospitalOrder
            | SentenceKind::TransferDirection => {
                vec![
                    (
                        D::TribunalHearing,
                        plus(imposed, 365 + i64::from(self.rng.below_u32(2000))),
                    ),
                    (D::Discharge, end),
                ]
            }
            _ => vec![
                (D::Hdced, plus(half, -120)),
                (D::Crd, half),
                (D::Led, end),
                (D::Sed, end),
            ],
        };
        let extras = [
            D::CategoryReview,
            D::OpenConditions,
            D::Rotl,
            D::ParoleHearing,
            D::Appeal,
            D::Other,
        ];
        let want = 3 + self.rng.below(8);
        while dates.len() < want {
            let span = u32::try_from((end - imposed).num_days().max(30)).unwrap_or(30);
            dates.push((
                *self.rng.pick(&extras),
                plus(imposed, i64::from(30 + self.rng.below_u32(span))),
            ));
        }
        if half < self.as_of && matches!(kind, SentenceKind::Sds | SentenceKind::Other) {
            dates.push((D::Release, half));
        }
        dates.sort_by_key(|(_, d)| *d);
        dates
            .into_iter()
            .map(|(kind, date)| KeyDate {
                kind,
                date,
                confirmed: Some(true),
                note: None,
            })
            .collect()
    }

    fn victim(&mut self, n: usize, case: &Case, k: usize) -> Victim {
        let imposed = case.sentence.imposed_on;
        let referred = plus(imposed, i64::from(3 + self.rng.below_u32(12)));
        let role = self.role(case, k);
        let eligibility = if self.rng.chance(7) {
            Eligibility::Discretionary
        } else {
            Eligibility::Statutory
        };
        let status = self.status(referred, case);
        let level = self.rng.weighted(&[
            (InformationLevel::ReleaseMonth, 25),
            (InformationLevel::Annual, 35),
            (InformationLevel::KeyStages, 40),
        ]);
        let method = self.rng.weighted(&[
            (ContactMethod::Letter, 55),
            (ContactMethod::Phone, 20),
            (ContactMethod::Email, 20),
            (ContactMethod::Visit, 5),
        ]);
        let officer = self.vlo();
        let mut v = Victim {
            id: format!("V-{n:06}"),
            case_id: case.id.clone(),
            name: format!(
                "{} {}",
                self.rng.pick(names::FIRST),
                self.rng.pick(names::LAST)
            ),
            role,
            eligibility,
            referred_on: referred,
            status,
            status_since: referred,
            allocated_to: Some(officer.clone()),
            contact_details: Some(Box::new(self.contact_details())),
            preferences: Some(Preferences {
                method: Some(method),
                information: Some(level),
                written_follow_up: Some(!self.rng.chance(10)),
            }),
            needs: self.rng.chance(5).then(|| {
                Box::new(crate::domain::model::Needs {
                    language: Some("Polish".into()),
                    interpreter: Some(true),
                    notes: None,
                })
            }),
            representative: None,
            equality: None,
            licence_requests: Vec::new(),
            sensitive_dates: if self.rng.chance(20) {
                vec![SensitiveDate {
                    date: Some(plus(imposed, -i64::from(30 + self.rng.below_u32(300)))),
                    label: Some("anniversary of the offence".into()),
                    yearly: Some(true),
                }]
            } else {
                Vec::new()
            },
            contacts: Vec::new(),
            vps: None,
            complaints: Vec::new(),
            moved_away: None,
            risk: None,
            tasks: Vec::new(),
            discretionary: None,
            child: None,
        };
        Log {
            g: self,
            by: officer,
            contacts: Vec::new(),
        }
        .simulate(&mut v, case);
        if v.status == VictimStatus::OptedIn && self.rng.chance(10) {
            self.licence_request(&mut v);
        }
        v
    }

    /// The `k`th victim's part in `case`: the family where the victim died.
    fn role(&mut self, case: &Case, k: usize) -> VictimRole {
        match (case.offence.description.as_deref(), k) {
            (Some("Murder" | "Manslaughter"), _) => VictimRole::NextOfKin,
            (_, 0) => self.rng.weighted(&[
                (VictimRole::Victim, 88),
                (VictimRole::ParentCarer, 8),
                (VictimRole::Representative, 4),
            ]),
            _ => self.rng.weighted(&[
                (VictimRole::Victim, 60),
                (VictimRole::ParentCarer, 25),
                (VictimRole::Representative, 15),
            ]),
        }
    }

    /// A fictional address and a phone number from Ofcom's drama range.
    fn contact_details(&mut self) -> ContactDetails {
        ContactDetails {
            address: Some(format!(
                "{} {}, {}",
                1 + self.rng.below(200),
                self.rng.pick(names::STREETS),
                self.rng.pick(names::TOWNS)
            )),
            phone: Some(format!("07700 900{:03}", self.rng.below(1000))),
            email: None,
        }
    }

    /// A status as likely as in a real unit: recent referrals not yet answered, finished
    /// sentences closed.
    fn status(&mut self, referred: NaiveDate, case: &Case) -> VictimStatus {
        let ended = case
            .key_dates
            .iter()
            .filter(|d| matches!(d.kind, KeyDateKind::Led | KeyDateKind::Sed))
            .map(|d| d.date)
            .max();
        if referred > plus(self.as_of, -40) {
            self.rng
                .weighted(&[(VictimStatus::Referred, 70), (VictimStatus::OfferSent, 30)])
        } else if ended.is_some_and(|e| e < self.as_of) {
            VictimStatus::Closed
        } else {
            self.rng.weighted(&[
                (VictimStatus::OptedIn, 60),
                (VictimStatus::Declined, 12),
                (VictimStatus::OptedOut, 8),
                (VictimStatus::OfferSent, 12),
                (VictimStatus::Referred, 1),
                (VictimStatus::Closed, 7),
            ])
        }
    }

    /// A request for a licence condition, decided two months on, and (mostly) passed on.
    fn licence_request(&mut self, v: &mut Victim) {
        let requested = plus(v.status_since, 30).min(self.as_of);
        let decided = plus(requested, 60);
        let known = decided <= self.as_of;
        v.licence_requests.push(LicenceRequest {
            condition: Some(*self.rng.pick(LicenceCondition::ALL)),
            details: None,
            requested_on: Some(requested),
            outcome: Some(if known {
                LicenceOutcome::Granted
            } else {
                LicenceOutcome::Pending
            }),
            outcome_on: known.then_some(decided),
            ..LicenceRequest::default()
        });
        let told = plus(decided, 2);
        if known && told <= self.as_of && !self.rng.chance(2) {
            let by = v.allocated_to.clone();
            v.contacts.push(Contact {
                on: told,
                at: None,
                kind: ContactKind::LicenceConditions,
                method: Medium::Letter,
                direction: Direction::Outbound,
                summary: Some("Told the victim the decision on the licence condition.".into()),
                by,
                key_date: None,
                corrects: None,
                follows: None,
                to: None,
            });
            v.contacts.sort_by_key(|c| c.on);
        }
    }
}

#[cfg(test)]
mod tests;
