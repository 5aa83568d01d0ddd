//! The last look at a finished letter: nothing in it that no letter may say. The facts a
//! template sees already leave these out; this catches what free text (a call's summary)
//! carries in, and anything a unit's own template might add in future.

use std::collections::BTreeSet;

use crate::domain::model::{Case, ContactDetails, Officer, Victim};

/// What a letter must never say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Forbidden {
    /// Where the offender is held (a prison, a hospital).
    Location,
    /// The offender's prison number.
    PrisonNumber,
    /// The name of another victim of the case.
    OtherVictim,
    /// A phone number, an email or an address other than the recipient's address block.
    ContactDetail,
    /// The exact day of a release (a letter gives only its month).
    ReleaseDay,
}

impl Forbidden {
    /// What the letter would have said, in words that quote nothing of it.
    pub fn what(self) -> &'static str {
        match self {
            Forbidden::Location => "the offender's location",
            Forbidden::PrisonNumber => "the offender's prison number",
            Forbidden::OtherVictim => "the name of another victim",
            Forbidden::ContactDetail => {
                "a contact detail other than the recipient's own address block"
            }
            Forbidden::ReleaseDay => "the exact day of a release (a letter gives its month)",
        }
    }
}

/// The strings a letter must not hold, each with why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guard {
    /// Compared with the letter's words (case and spacing folded).
    words: BTreeSet<(Forbidden, String)>,
    /// Phone numbers, compared with the letter with all spacing and punctuation removed.
    numbers: BTreeSet<String>,
    /// Other victims' (and their representatives') names, found however written
    /// ([`super::names::named_in`]).
    people: BTreeSet<String>,
    /// The case's release dates, whose exact day no letter gives.
    releases: BTreeSet<chrono::NaiveDate>,
    /// The recipient's address block as rendered: the one place an address may appear.
    block: Vec<String>,
    /// The unit's own address, phone, email and support line: wherever they appear.
    letterhead: Vec<String>,
}

pub use crate::domain::text::fold_words as fold;

/// Whether `needle` occurs in `text` as words: not inside a longer word or number ("6 Rowan
/// Avenue" is not in "16 Rowan Avenue", "Ann Lee" not in "Joann Leeds").
pub fn has_word(text: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let (starts, ends) = (
        word(needle.chars().next()),
        word(needle.chars().next_back()),
    );
    text.match_indices(needle).any(|(at, _)| {
        let inside_before = starts && word(text[..at].chars().next_back());
        let inside_after = ends && word(text[at + needle.len()..].chars().next());
        !inside_before && !inside_after
    })
}

/// `text` with each occurrence of `needle` that stands as words (not inside a longer word or
/// number, as [`has_word`]) taken out.
fn without_whole(text: &str, needle: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let (starts, ends) = (
        word(needle.chars().next()),
        word(needle.chars().next_back()),
    );
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (at, _) in text.match_indices(needle) {
        if at < from {
            continue;
        }
        let inside_before = starts && word(text[..at].chars().next_back());
        let inside_after = ends && word(text[at + needle.len()..].chars().next());
        if !inside_before && !inside_after {
            out.push_str(&text[from..at]);
            out.push(' ');
            from = at + needle.len();
        }
    }
    out.push_str(&text[from..]);
    out
}

/// Digits (and `+`) only.
fn digits(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// The runs of digits in a text, spacing and punctuation inside a number kept out of them
/// ("07700 900101", "(01632) 960-155"): a letter or word ends a run.
fn number_runs(s: &str) -> Vec<String> {
    let mut runs = vec![String::new()];
    for c in s.chars() {
        if c.is_ascii_digit() || c == '+' {
            if let Some(run) = runs.last_mut() {
                run.push(c);
            }
        } else if !matches!(c, ' ' | '-' | '(' | ')' | '.' | '/')
            && !runs.last().is_some_and(String::is_empty)
        {
            runs.push(String::new());
        }
    }
    runs
}

/// An address as lines: split at newlines and commas, trimmed, blank parts dropped.
pub fn address_lines(address: &str) -> Vec<String> {
    address
        .split(['\n', ','])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether two names are the same person's name however written: titles, order, accents,
/// case, punctuation, invisible and look-alike characters ([`super::names::same_person`]).
pub fn same_name(a: &str, b: &str) -> bool {
    super::names::same_person(a, b)
}

impl Guard {
    /// The guard for a letter to the recipient of `victim`'s record, whose address block is
    /// `block`, about `case`, where `others` are the case's other victims and `officer` the
    /// officer signing. A name that is also the recipient's, the offender's or the signing
    /// officer's is not looked for: the letter names that person, not the victim.
    pub fn new(
        victim: &Victim,
        case: &Case,
        others: &[Victim],
        officer: Option<&Officer>,
        recipient: &str,
        block: &[String],
    ) -> Self {
        let mut guard = Self {
            block: block.to_vec(),
            ..Self::default()
        };
        if let Some(l) = &case.offender.location {
            guard.word(Forbidden::Location, l);
        }
        if let Some(n) = &case.offender.prison_number {
            guard.word(Forbidden::PrisonNumber, n);
        }
        if let Some(ro) = &case.responsible_officer {
            guard.details(&ContactDetails {
                address: None,
                phone: ro.phone.clone(),
                email: ro.email.clone(),
            });
        }
        if let Some(o) = officer {
            guard.details(&ContactDetails {
                address: None,
                phone: o.phone.clone(),
                email: o.email.clone(),
            });
        }
        let named = |name: &str| {
            same_name(name, recipient)
                || same_name(name, &case.offender.name)
                || officer.is_some_and(|o| same_name(name, &o.name))
        };
        for v in std::iter::once(victim).chain(others.iter().filter(|o| o.id != victim.id)) {
            if v.id != victim.id {
                for name in std::iter::once(v.name.as_str())
                    .chain(v.representative.as_ref().and_then(|r| r.name.as_deref()))
                {
                    if !named(name) {
                        guard.word(Forbidden::OtherVictim, name);
                        guard.people.insert(name.to_owned());
                    }
                }
            }
            if let Some(d) = &v.contact_details {
                guard.details(d);
            }
            if let Some(d) = v
                .representative
                .as_ref()
                .and_then(|r| r.contact_details.as_ref())
            {
                guard.details(d);
            }
        }
        guard.releases = case
            .key_dates
            .iter()
            .filter(|k| k.kind.is_release())
            .map(|k| k.date)
            .collect();
        guard
    }

    /// Days the letter may give because something else happened on them (the letter's own
    /// date, the sentence, a hearing, a call): a release on one of them is not looked for.
    pub fn allow_days(&mut self, days: impl IntoIterator<Item = chrono::NaiveDate>) {
        for d in days {
            self.releases.remove(&d);
        }
    }

    /// The unit's letterhead ([`super::facts::Letterhead`]), which a letter may give
    /// wherever its template puts it. A text of fewer than four letters or digits (an
    /// address line "UK") holds no contact detail to let through, and taking it out of the
    /// letter could break a number apart: it is not taken out.
    pub fn allow_letterhead(&mut self, head: &super::facts::Letterhead) {
        self.letterhead.extend(
            head.texts()
                .filter(|t| t.chars().filter(|c| c.is_alphanumeric()).count() >= 4)
                .map(str::to_owned),
        );
    }

    fn word(&mut self, why: Forbidden, s: &str) {
        let folded = fold(s);
        // Too short to tell apart from ordinary words.
        if folded.chars().filter(|c| c.is_alphanumeric()).count() >= 4 {
            self.words.insert((why, folded));
        }
    }

    fn details(&mut self, d: &ContactDetails) {
        if let Some(phone) = &d.phone {
            let n = digits(phone);
            if n.len() >= 6 {
                self.numbers.insert(n);
            }
        }
        if let Some(email) = &d.email {
            self.word(Forbidden::ContactDetail, email);
        }
        if let Some(address) = &d.address {
            self.word(Forbidden::ContactDetail, address);
            // A house and street, or a postcode: the parts that hold a number.
            for part in address_lines(address) {
                if part.chars().any(|c| c.is_ascii_digit()) {
                    self.word(Forbidden::ContactDetail, &part);
                }
            }
        }
    }

    /// The first thing `text` says that no letter may, if any. The recipient's address block
    /// is taken out first: that is where their address belongs.
    pub fn check(&self, text: &str) -> Option<Forbidden> {
        let mut rest = text.to_owned();
        for line in &self.block {
            if let Some(at) = rest.find(line.as_str()) {
                rest.replace_range(at..at + line.len(), "");
            }
        }
        for text in &self.letterhead {
            rest = without_whole(&rest, text);
        }
        let folded = fold(&rest);
        if let Some((why, _)) = self.words.iter().find(|(_, w)| has_word(&folded, w)) {
            return Some(*why);
        }
        let words = super::names::words(&rest);
        if self
            .people
            .iter()
            .any(|p| super::names::named_in(&words, p))
        {
            return Some(Forbidden::OtherVictim);
        }
        if self
            .releases
            .iter()
            .any(|d| super::days::gives_day(&rest, *d))
        {
            return Some(Forbidden::ReleaseDay);
        }
        // No letter carries a phone number or an email, anyone's: one held in the store
        // (however written: +44, 0044, brackets) or one typed into a summary.
        let runs = number_runs(&rest);
        let stored = self
            .numbers
            .iter()
            .any(|n| runs.iter().any(|r| r.contains(n.as_str())));
        let any = crate::domain::redact::has_phone_number(&rest)
            || crate::domain::redact::has_email(&rest);
        (stored || any).then_some(Forbidden::ContactDetail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_folded() {
        assert!(same_name("Danny  Reeves", "danny reeves"));
        assert!(!same_name("Dan Reeve", "Daniel Reeve"));
        assert!(!same_name("", ""));
    }

    #[test]
    fn words_are_found_whole() {
        assert!(has_word("we met at 16 rowan avenue.", "16 rowan avenue"));
        assert!(!has_word("we met at 16 rowan avenue.", "6 rowan avenue"));
        assert!(!has_word("joann leeds", "ann lee"));
        assert!(has_word("(ann lee)", "ann lee"));
    }

    /// A case with a release in January 2027, the recipient Joan Mercer and her brother Tom
    /// (another victim, with a phone held in the store).
    fn guard() -> Guard {
        let unit = crate::domain::validate::parse_caseload(
            r#"{ "format": "vlu-caseload", "version": 1,
              "cases": [ { "id": "C-1", "offender": { "name": "Daniel Reeve" },
                "offence": { "category": "violent" },
                "sentence": { "kind": "sds", "imposed_on": "2025-03-14" },
                "key_dates": [ { "kind": "crd", "date": "2027-01-04" } ] } ],
              "victims": [
                { "id": "V-1", "case_id": "C-1", "name": "Joan Mercer", "role": "victim",
                  "eligibility": "statutory", "referred_on": "2025-03-20",
                  "status": "opted_in", "status_since": "2025-04-01",
                  "contact_details": { "address": "14 Orchard Road, Northby NS2 4QT" } },
                { "id": "V-2", "case_id": "C-1", "name": "Tom Mercer", "role": "victim",
                  "eligibility": "statutory", "referred_on": "2025-03-20",
                  "status": "opted_in", "status_since": "2025-04-01",
                  "contact_details": { "phone": "07700 900333" } } ] }"#,
            &crate::domain::validate::KnownIds::default(),
            false,
        )
        .unwrap();
        let block = vec!["14 Orchard Road".to_owned(), "Northby NS2 4QT".to_owned()];
        Guard::new(
            &unit.victims[0],
            &unit.cases[0],
            &unit.victims,
            None,
            "Joan Mercer",
            &block,
        )
    }

    #[test]
    fn what_a_vlo_types_cannot_carry_a_release_day_another_victim_or_a_number() {
        let g = guard();
        let letter =
            |body: &str| format!("Joan Mercer\n14 Orchard Road\nNorthby NS2 4QT\n\n{body}");
        assert_eq!(g.check(&letter("He is due out in January 2027.")), None);
        for (body, why) in [
            ("He is due out on January 4th.", Forbidden::ReleaseDay),
            ("Out 4/1/27, as we said.", Forbidden::ReleaseDay),
            ("the 4th of January", Forbidden::ReleaseDay),
            ("I also spoke to MERCER, Tom.", Forbidden::OtherVictim),
            ("I also spoke to Tóm Mercer.", Forbidden::OtherVictim),
            ("Ring Tom on +44 7700 900333.", Forbidden::ContactDetail),
            ("Ring Tom on 0044 (0)7700 900333.", Forbidden::ContactDetail),
            (
                "Call the helpline on 0800 123 4567.",
                Forbidden::ContactDetail,
            ),
            ("Write to help@example.org.", Forbidden::ContactDetail),
        ] {
            assert_eq!(g.check(&letter(body)), Some(why), "{body}");
        }
    }

    #[test]
    fn the_units_letterhead_is_let_through_and_nothing_else() {
        use super::super::facts::Letterhead;
        let mut g = guard();
        g.allow_letterhead(&Letterhead {
            address: vec!["PO Box 41".into(), "1".into()],
            phone: Some("0113 496 0458".into()),
            email: Some("vlu@northshire.example".into()),
            support: None,
        });
        let letter = |body: &str| {
            format!(
                "Northshire VLU\nPO Box 41\n1\nTelephone: 0113 496 0458\nEmail: vlu@northshire.example\n\nJoan Mercer\n\n{body}\nOr write to vlu@northshire.example."
            )
        };
        assert_eq!(g.check(&letter("Thank you.")), None);
        // Another number beside it is still refused, and so is Tom's written round the
        // unit's own "1" (a one-character line is never taken out of the letter).
        for body in [
            "Call the helpline on 0800 123 4567.",
            "Ring Tom on 07700 900333.",
            "Ring 0113 496 04581.",
        ] {
            assert_eq!(
                g.check(&letter(body)),
                Some(Forbidden::ContactDetail),
                "{body}"
            );
        }
    }

    #[test]
    fn an_address_is_its_lines() {
        assert_eq!(
            address_lines("14 Cranmore Road, Northtown,\nNS1 4QT"),
            ["14 Cranmore Road", "Northtown", "NS1 4QT"]
        );
    }
}
