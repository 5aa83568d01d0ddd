//! The caseload fields a spreadsheet column may fill: each one's path in the caseload format,
//! what kind of value it takes, the header an export writes for it, and other headers a
//! unit's sheet may give it (for `--suggest`). One table, read by the import, the export and
//! the suggestion alike, so the three can never disagree about a field.

use std::sync::LazyLock;

use crate::domain::enums::{
    ContactMethod, Eligibility, Identifier, InformationLevel, KeyDateKind, OffenceCategory,
    SentenceKind, VictimRole, VictimStatus,
};

/// What a column's cells are read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (a number cell is written as the number).
    Text,
    /// A date: a date cell, the mapping's `date_format`, or `YYYY-MM-DD`.
    Date,
    /// Yes or no.
    YesNo,
    /// A whole number.
    Whole,
    /// One of the format's identifiers (or its label, or the unit's word for it).
    Choice {
        ids: &'static [&'static str],
        labels: &'static [&'static str],
    },
    /// The offender's other names, separated by `;`.
    Aliases,
    /// One key date kind: one or more dates, separated by `;`.
    KeyDate(KeyDateKind),
}

/// Whose record a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Victim,
    Case,
}

#[derive(Debug)]
pub struct Field {
    /// `victim.referred_on`, `case.key_dates.crd`.
    pub path: String,
    pub kind: Kind,
    /// The header an export writes, and the first `--suggest` looks for.
    pub header: String,
    /// Other headers `--suggest` recognises.
    pub also: Vec<String>,
}

impl Field {
    pub fn owner(&self) -> Owner {
        if self.path.starts_with("victim.") {
            Owner::Victim
        } else {
            Owner::Case
        }
    }

    /// The path inside the victim or case record: `contact_details.address`.
    pub fn inner(&self) -> &str {
        self.path.split_once('.').map_or("", |(_, rest)| rest)
    }

    /// An address, phone number or email (the victim's, a representative's, a responsible
    /// officer's): a value never repeated in a message, and left out of exports unless asked.
    pub fn is_contact_detail(&self) -> bool {
        self.path
            .rsplit('.')
            .next()
            .is_some_and(|last| matches!(last, "address" | "phone" | "email"))
    }

    /// Free text that may hold contact details (a needs note): exported only with them.
    pub fn is_private_text(&self) -> bool {
        self.is_contact_detail() || self.path == "victim.needs.notes"
    }

    /// Every record of its owner needs it (FORMAT.md §2). `victim.status_since`, when the
    /// sheet has no such column, is the referral date.
    pub fn is_required(&self) -> bool {
        REQUIRED.contains(&self.path.as_str())
    }
}

const REQUIRED: &[&str] = &[
    "victim.id",
    "victim.name",
    "victim.role",
    "victim.eligibility",
    "victim.referred_on",
    "victim.status",
    "case.id",
    "case.offender.name",
    "case.offence.category",
    "case.sentence.kind",
    "case.sentence.imposed_on",
];

fn choice<E: Identifier>() -> Kind {
    Kind::Choice {
        ids: E::IDS,
        labels: E::LABELS,
    }
}

fn field(path: &str, kind: Kind, header: &str, also: &[&str]) -> Field {
    Field {
        path: path.to_owned(),
        kind,
        header: header.to_owned(),
        also: also.iter().map(|&s| s.to_owned()).collect(),
    }
}

/// Every field, in the order an export writes them.
pub static FIELDS: LazyLock<Vec<Field>> = LazyLock::new(|| {
    use Kind::{Aliases, Date, Text, Whole, YesNo};
    let mut all = vec![
        field(
            "victim.id",
            Text,
            "Victim id",
            &["ref", "victim ref", "reference", "urn", "id"],
        ),
        field(
            "victim.name",
            Text,
            "Victim name",
            &["name", "victim", "full name"],
        ),
        field(
            "victim.role",
            choice::<VictimRole>(),
            "Role",
            // What a unit calls the person's place in the case: the victim, the next of kin
            // of one who died, a child's parent.
            &[
                "victim role",
                "relationship",
                "relationship to victim",
                "relationship to offender",
                "relationship to the offender",
            ],
        ),
        field(
            "victim.eligibility",
            choice::<Eligibility>(),
            "Eligibility",
            &["eligible"],
        ),
        field(
            "victim.referred_on",
            Date,
            "Referred on",
            &[
                "date referred",
                "referral date",
                "referred",
                "date of referral",
            ],
        ),
        field(
            "victim.status",
            choice::<VictimStatus>(),
            "Status",
            &[
                "contact status",
                "opt in",
                "opted in",
                "opt in status",
                "opt in out",
            ],
        ),
        field(
            "victim.status_since",
            Date,
            "Status since",
            &["status date"],
        ),
        field(
            "victim.allocated_to",
            Text,
            "Officer",
            &["vlo", "allocated to", "allocated", "case officer"],
        ),
        field(
            "victim.contact_details.address",
            Text,
            "Address",
            &["victim address"],
        ),
        field(
            "victim.contact_details.phone",
            Text,
            "Phone",
            &["telephone", "tel", "phone number", "mobile"],
        ),
        field(
            "victim.contact_details.email",
            Text,
            "Email",
            &["e mail", "email address"],
        ),
        field(
            "victim.preferences.method",
            choice::<ContactMethod>(),
            "Contact by",
            &["contact method", "preferred contact", "method"],
        ),
        field(
            "victim.preferences.information",
            choice::<InformationLevel>(),
            "Information",
            &["information level", "level"],
        ),
        field(
            "victim.preferences.written_follow_up",
            YesNo,
            "Written follow-up",
            &[],
        ),
        field("victim.needs.language", Text, "Language", &[]),
        field("victim.needs.interpreter", YesNo, "Interpreter", &[]),
        field("victim.needs.notes", Text, "Needs", &["needs notes"]),
        field(
            "victim.representative.name",
            Text,
            "Representative",
            &["representative name"],
        ),
        field(
            "victim.representative.relationship",
            Text,
            "Representative's relationship",
            &[],
        ),
        field(
            "victim.representative.contact_details.address",
            Text,
            "Representative's address",
            &[],
        ),
        field(
            "victim.representative.contact_details.phone",
            Text,
            "Representative's phone",
            &[],
        ),
        field(
            "victim.representative.contact_details.email",
            Text,
            "Representative's email",
            &[],
        ),
    ];
    for key in crate::domain::enums::EQUALITY_KEYS {
        let header = crate::domain::enums::equality_label(key);
        all.push(field(&format!("victim.equality.{key}"), Text, header, &[]));
    }
    all.extend([
        field(
            "case.id",
            Text,
            "Case",
            // CRN: the case reference number probation's own case system gives each case.
            &[
                "case no",
                "case id",
                "case number",
                "case ref",
                "crn",
                "case reference",
                "case reference number",
            ],
        ),
        field("case.offender.name", Text, "Offender", &["offender name"]),
        field(
            "case.offender.aliases",
            Aliases,
            "Aliases",
            &["alias", "aka"],
        ),
        field(
            "case.offender.dob",
            Date,
            "Offender's date of birth",
            &["dob", "offender dob", "date of birth"],
        ),
        field(
            "case.offender.prison_number",
            Text,
            "Prison number",
            &["prison no", "noms number"],
        ),
        field(
            "case.offender.location",
            Text,
            "Location",
            &["prison", "establishment"],
        ),
        field(
            "case.offence.description",
            Text,
            "Offence",
            &["index offence"],
        ),
        field(
            "case.offence.category",
            choice::<OffenceCategory>(),
            "Offence category",
            &["category"],
        ),
        field(
            "case.offence.specified",
            YesNo,
            "Specified offence",
            &["specified"],
        ),
        field(
            "case.sentence.kind",
            choice::<SentenceKind>(),
            "Sentence",
            &["sentence type", "sentence kind"],
        ),
        field(
            "case.sentence.imposed_on",
            Date,
            "Sentenced on",
            &[
                "sentenced",
                "sentence date",
                "date of sentence",
                "date sentenced",
            ],
        ),
        field(
            "case.sentence.custodial_months",
            Whole,
            "Custodial months",
            &["months"],
        ),
        field("case.sentence.court", Text, "Court", &[]),
        field(
            "case.responsible_officer.name",
            Text,
            "Responsible officer",
            &["ro", "offender manager", "probation practitioner"],
        ),
        field("case.responsible_officer.team", Text, "RO team", &["team"]),
        field("case.responsible_officer.phone", Text, "RO phone", &[]),
        field("case.responsible_officer.email", Text, "RO email", &[]),
        field("case.mappa.category", Whole, "MAPPA category", &[]),
        field("case.mappa.level", Whole, "MAPPA level", &[]),
        field(
            "case.sex_offender_notification",
            YesNo,
            "Sex offender notification",
            &[],
        ),
        field(
            "case.closed_on",
            Date,
            "Case closed on",
            &["closed on", "date closed"],
        ),
    ]);
    for &kind in KeyDateKind::ALL {
        all.push(Field {
            path: format!("case.key_dates.{kind}"),
            kind: Kind::KeyDate(kind),
            header: key_date_header(kind),
            also: vec![kind.as_str().to_owned(), kind.label().to_owned()],
        });
    }
    all
});

/// A key date's column header: the short names officers use (`CRD`, `HDCED`), else its
/// label (`Parole hearing`).
fn key_date_header(kind: KeyDateKind) -> String {
    let id = kind.as_str();
    if id.len() <= 5 && !id.contains('_') && id != "other" {
        id.to_uppercase()
    } else {
        let label = kind.label();
        let mut chars = label.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }
}

/// The field of a path, if there is one.
pub fn by_path(path: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.path == path)
}

/// A header or a unit's word reduced for comparison: lower case, every run of other
/// characters one space (`"Date  referred:"` → `"date referred"`).
pub fn simplified(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_unique_and_every_header_too() {
        let mut paths: Vec<&str> = FIELDS.iter().map(|f| f.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), FIELDS.len());
        let mut headers: Vec<String> = FIELDS.iter().map(|f| simplified(&f.header)).collect();
        headers.sort_unstable();
        headers.dedup();
        assert_eq!(headers.len(), FIELDS.len(), "an export's headers read back");
    }

    #[test]
    fn contact_details_are_known_by_their_last_segment() {
        let secret: Vec<&str> = FIELDS
            .iter()
            .filter(|f| f.is_contact_detail())
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(secret.len(), 8, "{secret:?}");
        assert!(secret.contains(&"victim.representative.contact_details.phone"));
        assert!(!by_path("victim.name").unwrap().is_contact_detail());
        assert_eq!(by_path("case.key_dates.crd").unwrap().header, "CRD");
        assert_eq!(
            by_path("case.key_dates.parole_hearing").unwrap().header,
            "Parole hearing"
        );
        assert_eq!(simplified(" Date  referred: "), "date referred");
    }
}
