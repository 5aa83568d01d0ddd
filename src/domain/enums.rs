//! The enumerations of the caseload format (FORMAT.md §2). The identifiers are the
//! contract; each value also has a plain label for the screen.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An enumeration written as one of a fixed list of identifiers.
pub trait Identifier: Sized + Copy + 'static {
    const IDS: &'static [&'static str];
    /// Each identifier's words for the screen, in the same order.
    const LABELS: &'static [&'static str];
    fn parse(s: &str) -> Option<Self>;
    /// The position in the list of identifiers.
    fn index(self) -> u8;
    fn from_index(i: u8) -> Option<Self>;
}

/// An enumeration stored by its position (one byte) rather than its identifier, for compact
/// stored records. Positions are part of the stored format: new values go at the end.
pub struct ByIndex;

impl<T: Identifier> serde_with::SerializeAs<T> for ByIndex {
    fn serialize_as<S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(value.index())
    }
}

impl<'de, T: Identifier> serde_with::DeserializeAs<'de, T> for ByIndex {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let i = u8::deserialize(d)?;
        T::from_index(i).ok_or_else(|| serde::de::Error::custom(format!("no value at {i}")))
    }
}

/// Declares a string enumeration: its identifiers (the wire format), its labels, `ALL`,
/// `as_str`, `label`, `parse`, and serde by identifier.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal : $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const IDS: &'static [&'static str] = &[$($id),+];

            /// The identifier used in files and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            /// A plain-words label for the screen.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($id => Some($name::$variant),)+ _ => None }
            }
        }

        impl Identifier for $name {
            const IDS: &'static [&'static str] = $name::IDS;
            const LABELS: &'static [&'static str] = &[$($label),+];
            fn parse(s: &str) -> Option<Self> {
                $name::parse(s)
            }
            fn index(self) -> u8 {
                self as u8
            }
            fn from_index(i: u8) -> Option<Self> {
                $name::ALL.get(usize::from(i)).copied()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| serde::de::Error::unknown_variant(&s, $name::IDS))
            }
        }
    };
}

string_enum!(
    /// What an officer does in the unit.
    OfficerRole {
        Vlo = "vlo": "Victim Liaison Officer",
        Manager = "manager": "manager",
        Admin = "admin": "administrator",
    }
);

string_enum!(OffenceCategory {
    Violent = "violent": "violent",
    Sexual = "sexual": "sexual",
    Other = "other": "other",
});

string_enum!(SentenceKind {
    Sds = "sds": "standard determinate sentence",
    Eds = "eds": "extended determinate sentence",
    Sopc = "sopc": "sentence for offenders of particular concern",
    Life = "life": "life sentence",
    Ipp = "ipp": "imprisonment for public protection",
    Dto = "dto": "detention and training order",
    HospitalOrder = "hospital_order": "hospital order",
    RestrictedHospitalOrder = "restricted_hospital_order": "restricted hospital order",
    TransferDirection = "transfer_direction": "transfer direction",
    Other = "other": "other sentence",
});

string_enum!(KeyDateKind {
    Ped = "ped": "parole eligibility date",
    Apd = "apd": "approved parole date",
    Crd = "crd": "conditional release date",
    Ard = "ard": "automatic release date",
    Hdced = "hdced": "home detention curfew eligibility",
    Hdcad = "hdcad": "home detention curfew approved",
    Prrd = "prrd": "post-recall release date",
    Etd = "etd": "DTO early transfer date",
    Mtd = "mtd": "DTO mid transfer date",
    Ltd = "ltd": "DTO late transfer date",
    Rotl = "rotl": "release on temporary licence",
    TariffExpiry = "tariff_expiry": "tariff expiry",
    ParoleHearing = "parole_hearing": "parole hearing",
    TribunalHearing = "tribunal_hearing": "tribunal hearing",
    Discharge = "discharge": "conditional discharge from hospital",
    RestrictionEnd = "restriction_end": "restriction order ends",
    CategoryReview = "category_review": "category review",
    OpenConditions = "open_conditions": "move to open conditions",
    Appeal = "appeal": "appeal",
    Release = "release": "release",
    Recall = "recall": "recall",
    Ersed = "ersed": "early removal eligibility",
    Led = "led": "licence expiry date",
    Sed = "sed": "sentence expiry date",
    Tused = "tused": "top-up supervision expiry",
    Other = "other": "other key date",
    // vlu's own kinds, beyond the base format (spec row 11's key events).
    Escape = "escape": "escape or abscond",
    OffenderDeath = "offender_death": "death of the offender",
    CompassionateRelease = "compassionate_release": "compassionate release",
    HospitalTransfer = "hospital_transfer": "transfer to hospital",
    CommunityLeave = "community_leave": "community leave from hospital",
    MappaMeeting = "mappa_meeting": "MAPPA meeting",
    RecallAppeal = "recall_appeal": "appeal against recall",
    ImmigrationDecision = "immigration_decision": "immigration or deportation decision",
    TariffReview = "tariff_review": "tariff set or reviewed",
});

impl KeyDateKind {
    /// The release kinds that `release_month` and `annual` victims are told about (FORMAT.md §3).
    pub const RELEASE_KINDS: &'static [KeyDateKind] = &[
        KeyDateKind::Crd,
        KeyDateKind::Ard,
        KeyDateKind::Apd,
        KeyDateKind::Hdcad,
        KeyDateKind::Prrd,
        KeyDateKind::Mtd,
        KeyDateKind::Discharge,
        KeyDateKind::Release,
        KeyDateKind::CompassionateRelease,
    ];

    /// vlu's own kinds that record something that has happened rather than a date ahead:
    /// the victim is told at once, not four weeks before.
    pub const EVENTS: &'static [KeyDateKind] = &[
        KeyDateKind::Escape,
        KeyDateKind::OffenderDeath,
        KeyDateKind::HospitalTransfer,
        KeyDateKind::ImmigrationDecision,
    ];

    /// Kinds every victim in the scheme is told of, whatever the level they chose: an
    /// escape (their safety) and the offender's death (the end of the sentence).
    pub const EVERY_LEVEL: &'static [KeyDateKind] =
        &[KeyDateKind::Escape, KeyDateKind::OffenderDeath];

    /// The dates from which licence conditions may apply (FORMAT.md §3, `licence_conditions`).
    pub const LICENCE_TRIGGERS: &'static [KeyDateKind] = &[
        KeyDateKind::Crd,
        KeyDateKind::Ard,
        KeyDateKind::Ped,
        KeyDateKind::Hdced,
        KeyDateKind::TariffExpiry,
    ];

    /// The dates before which a victim who never answered an offer is offered contact again
    /// (`release_reoffer`): the first possible release, and the parole hearing that may
    /// order it.
    pub const REOFFER_TRIGGERS: &'static [KeyDateKind] = &[
        KeyDateKind::Crd,
        KeyDateKind::Ard,
        KeyDateKind::Ped,
        KeyDateKind::Hdced,
        KeyDateKind::TariffExpiry,
        KeyDateKind::ParoleHearing,
    ];

    /// Re-categorisation and moves to open conditions: key stages for a `key_stages` victim.
    pub const RECATEGORISATION: &'static [KeyDateKind] =
        &[KeyDateKind::CategoryReview, KeyDateKind::OpenConditions];

    pub fn is_release(self) -> bool {
        Self::RELEASE_KINDS.contains(&self)
    }
}

string_enum!(VictimRole {
    Victim = "victim": "victim",
    NextOfKin = "next_of_kin": "next of kin (bereaved family)",
    ParentCarer = "parent_carer": "parent or carer of a child victim",
    Representative = "representative": "nominated representative",
});

string_enum!(Eligibility {
    Statutory = "statutory": "statutory",
    Discretionary = "discretionary": "discretionary",
});

string_enum!(VictimStatus {
    Referred = "referred": "referred, no offer yet",
    OfferSent = "offer_sent": "offer sent",
    OptedIn = "opted_in": "opted in",
    Declined = "declined": "declined",
    OptedOut = "opted_out": "opted out",
    Closed = "closed": "closed",
});

impl VictimStatus {
    /// A victim who said no, or whose contact has ended, gets no reminder.
    pub fn is_inactive(self) -> bool {
        matches!(self, Self::Declined | Self::OptedOut | Self::Closed)
    }

    /// The victim said no to the scheme: declined it, or opted out of it.
    pub fn said_no(self) -> bool {
        matches!(self, Self::Declined | Self::OptedOut)
    }
}

string_enum!(ContactMethod {
    Letter = "letter": "letter",
    Phone = "phone": "phone",
    Email = "email": "email",
    Visit = "visit": "visit",
});

string_enum!(InformationLevel {
    ReleaseMonth = "release_month": "release month only",
    Annual = "annual": "annual letter and release",
    KeyStages = "key_stages": "every key stage",
});

impl InformationLevel {
    /// Whether a victim at this level is told of a key date of `kind`: every kind at
    /// `key_stages` (re-categorisation and moves to open conditions among them), the release
    /// kinds at `annual` and `release_month` (FORMAT.md §3, `key_date`), and at every level
    /// vlu's own escape and death of the offender.
    pub fn covers(self, kind: KeyDateKind) -> bool {
        self == InformationLevel::KeyStages
            || kind.is_release()
            || KeyDateKind::EVERY_LEVEL.contains(&kind)
    }
}

string_enum!(LicenceCondition {
    NoContact = "no_contact": "no contact",
    ExclusionZone = "exclusion_zone": "exclusion zone",
    NonAssociation = "non_association": "non-association",
    Residence = "residence": "residence",
    Other = "other": "other condition",
});

string_enum!(LicenceOutcome {
    Pending = "pending": "pending",
    Granted = "granted": "granted",
    Refused = "refused": "refused",
    Amended = "amended": "amended",
    Withdrawn = "withdrawn": "withdrawn",
});

string_enum!(
    /// What the Parole Board decided of a request that a VPS be kept from the offender
    /// (vlu's own, beyond the contract).
    NonDisclosure {
        Granted = "granted": "not disclosed",
        Refused = "refused": "refused: disclosed",
        Withdrawn = "withdrawn": "VPS withdrawn",
    }
);

string_enum!(
    /// What the unit decided of a discretionary request (vlu's own, beyond the contract).
    DiscretionaryDecision {
        Accepted = "accepted": "accepted",
        Refused = "refused": "refused",
    }
);

string_enum!(
    /// How a complaint ended (vlu's own, beyond the contract).
    ComplaintOutcome {
        Upheld = "upheld": "upheld",
        PartlyUpheld = "partly_upheld": "partly upheld",
        NotUpheld = "not_upheld": "not upheld",
        Withdrawn = "withdrawn": "withdrawn",
    }
);

string_enum!(ContactKind {
    InitialOffer = "initial_offer": "initial offer",
    SecondOffer = "second_offer": "second offer",
    OptIn = "opt_in": "opt-in",
    Decline = "decline": "decline",
    Update = "update": "update",
    AnnualLetter = "annual_letter": "annual letter",
    WrittenFollowUp = "written_follow_up": "written follow-up",
    MeetingRecord = "meeting_record": "meeting record",
    LicenceConditions = "licence_conditions": "licence conditions",
    Vps = "vps": "victim personal statement",
    Complaint = "complaint": "complaint",
    ComplaintAck = "complaint_ack": "complaint acknowledgement",
    Agency = "agency": "agency contact",
    Closure = "closure": "closure",
    Note = "note": "note",
    // vlu's own kinds, beyond the base format.
    UnwantedContact = "unwanted_contact": "unwanted contact",
    RiskReport = "risk_report": "risk report",
    Outcome = "outcome": "outcome received",
    Referral = "referral": "referral",
});

string_enum!(Medium {
    Letter = "letter": "letter",
    Phone = "phone": "phone",
    Email = "email": "email",
    Visit = "visit": "visit",
    Meeting = "meeting": "meeting",
    Video = "video": "video",
    None = "none": "none",
});

impl Medium {
    /// Spoken contact that must be confirmed in writing.
    pub fn needs_written_follow_up(self) -> bool {
        matches!(
            self,
            Self::Phone | Self::Visit | Self::Meeting | Self::Video
        )
    }

    pub fn is_written(self) -> bool {
        matches!(self, Self::Letter | Self::Email)
    }
}

string_enum!(Direction {
    Outbound = "outbound": "to the victim",
    Inbound = "inbound": "from the victim",
    Internal = "internal": "internal",
});

string_enum!(
    /// The reminders the diary derives (FORMAT.md §3).
    ReminderKind {
        InitialOffer = "initial_offer": "initial offer",
        DiscretionaryDecision = "discretionary_decision": "discretionary decision",
        SecondOffer = "second_offer": "second offer",
        AnnualLetter = "annual_letter": "annual letter",
        WrittenFollowUp = "written_follow_up": "written follow-up",
        ComplaintAck = "complaint_ack": "complaint acknowledgement",
        KeyDate = "key_date": "key date",
        VpsOffer = "vps_offer": "VPS offer",
        LicenceConditions = "licence_conditions": "licence conditions",
        LicenceOutcome = "licence_outcome": "licence outcome",
        CaseClosure = "case_closure": "case closure",
        ReleaseReoffer = "release_reoffer": "release re-offer",
        ComplaintAnswer = "complaint_answer": "complaint answer",
        VpsSubmit = "vps_submit": "VPS submission",
        MhcsRegister = "mhcs_register": "MHCS registration",
        TribunalRepresentations = "tribunal_representations": "tribunal representations",
        LicenceSubmit = "licence_submit": "licence request",
        LicenceChase = "licence_chase": "chase licence",
        UnwantedContactReport = "unwanted_contact_report": "report unwanted contact",
        RiskAck = "risk_ack": "risk report answer",
        RiskFlagReport = "risk_flag_report": "report the risk",
        OutcomeTell = "outcome_tell": "tell the outcome",
        Task = "task": "task",
        VpsNonDisclosure = "vps_non_disclosure": "chase non-disclosure",
        DiscretionaryOffer = "discretionary_offer": "offer after acceptance",
        ComesOfAge = "comes_of_age": "child turns 18",
    }
);

string_enum!(
    /// A piece of casework with a deadline that no contact kind covers (vlu's own, beyond
    /// the contract): the victim's `tasks`. Stored by position: new kinds go at the end.
    TaskKind {
        MappaContribution = "mappa_contribution": "MAPPA contribution",
        CaseConference = "case_conference": "case conference",
        MediaEnquiry = "media_enquiry": "media enquiry",
        ViewsSought = "views_sought": "views sought",
        Survey = "survey": "satisfaction survey",
        SfoReport = "sfo_report": "SFO victim summary report",
        HospitalHandover = "hospital_handover": "handover to hospital managers",
        MhcsViews = "mhcs_views": "views to MHCS",
        PoliceLiaison = "police_liaison": "police liaison",
        DisclosureDecision = "disclosure_decision": "disclosure beyond the level",
        MeetingNotes = "meeting_notes": "meeting notes agreed",
        LicenceVariation = "licence_variation": "licence variation",
        VpsRisk = "vps_risk": "risk in a VPS",
        VpsSupport = "vps_support": "support at the hearing",
        FirstContact = "first_contact": "first personal contact",
        SonrExplain = "sonr_explain": "notification requirements explained",
        PolicyConsultation = "policy_consultation": "Victims Policy consultation",
    }
);

impl TaskKind {
    /// Working days from the day a task is opened to the day it is due, where the record
    /// sets no `due_on` of its own (docs/FORMAT.md, "Tasks"). 0 is the same day.
    pub fn working_days(self) -> u32 {
        match self {
            Self::PoliceLiaison => 0,
            Self::MediaEnquiry | Self::VpsRisk => 1,
            Self::MappaContribution | Self::CaseConference | Self::HospitalHandover => 5,
            Self::MhcsViews
            | Self::DisclosureDecision
            | Self::MeetingNotes
            | Self::LicenceVariation
            | Self::VpsSupport
            | Self::FirstContact
            | Self::SonrExplain
            | Self::PolicyConsultation => 10,
            Self::SfoReport => 15,
            Self::ViewsSought | Self::Survey => 20,
        }
    }

    /// What the officer must do, in the diary's words.
    pub fn action(self) -> &'static str {
        match self {
            Self::MappaContribution => "Send the victim's views to the MAPPA meeting",
            Self::CaseConference => "Give the unit's information to the case conference",
            Self::MediaEnquiry => "Tell the press office of the media enquiry",
            Self::ViewsSought => "Record the views sought of the victim",
            Self::Survey => "Record the answer to the satisfaction survey",
            Self::SfoReport => "Send the SFO victim summary report",
            Self::HospitalHandover => "Hand the victim's contact over to the hospital managers",
            Self::MhcsViews => "Send the victim's views to the Mental Health Casework Section",
            Self::PoliceLiaison => "Speak to the police liaison officer before telling the victim",
            Self::DisclosureDecision => {
                "Decide the disclosure beyond the victim's level, with legal advice noted"
            }
            Self::MeetingNotes => "Have the victim agree the notes of the meeting",
            Self::LicenceVariation => "Get a decision on the victim's licence variation request",
            Self::VpsRisk => "Send the Parole Board the covering letter on the risk in the VPS",
            Self::VpsSupport => "Arrange the victim's support to attend the hearing",
            Self::FirstContact => {
                "Call or visit the victim to explain the scheme and what they will be told"
            }
            Self::SonrExplain => "Explain the sex offender notification requirements to the victim",
            Self::PolicyConsultation => {
                "Consult the Victims Policy team on the discretionary request"
            }
        }
    }

    /// What a task's yes-or-no answer (`agreed`) says, where it has one.
    pub fn answer(self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::Survey => Some(("satisfied", "not satisfied")),
            Self::MeetingNotes => Some(("notes agreed", "notes not agreed")),
            Self::DisclosureDecision => Some(("disclosure approved", "disclosure refused")),
            Self::LicenceVariation => Some(("variation granted", "variation refused")),
            Self::VpsSupport => Some(("support arranged", "support refused")),
            Self::HospitalHandover => Some(("the victim consented", "the victim did not consent")),
            _ => None,
        }
    }
}

string_enum!(
    /// The letters vlu writes (`vlu letter KIND`).
    LetterKind {
        InitialOffer = "initial_offer": "initial offer",
        SecondOffer = "second_offer": "second offer",
        AnnualLetter = "annual_letter": "annual letter",
        KeyDate = "key_date": "key date",
        VpsOffer = "vps_offer": "victim personal statement offer",
        LicenceConditions = "licence_conditions": "licence conditions",
        LicenceOutcome = "licence_outcome": "licence conditions outcome",
        ComplaintAck = "complaint_ack": "complaint acknowledgement",
        WrittenFollowUp = "written_follow_up": "written follow-up",
        CaseClosure = "case_closure": "case closure",
        ViewsRequest = "views_request": "request for views",
    }
);

impl LetterKind {
    /// Whether it may go to a victim who said no to the scheme: a complaint's
    /// acknowledgement, and a request for views for the purpose on record (spec row 29).
    pub fn to_one_who_said_no(self) -> bool {
        matches!(self, Self::ComplaintAck | Self::ViewsRequest)
    }

    /// The kind of contact that records the letter as sent: the one whose logging resolves
    /// the reminder the letter answers (FORMAT.md §3).
    pub fn contact_kind(self) -> ContactKind {
        match self {
            Self::InitialOffer => ContactKind::InitialOffer,
            Self::SecondOffer => ContactKind::SecondOffer,
            Self::AnnualLetter => ContactKind::AnnualLetter,
            // A views request is asked of a victim who may not be in the scheme: an update
            // moves no status.
            Self::KeyDate | Self::ViewsRequest => ContactKind::Update,
            Self::VpsOffer => ContactKind::Vps,
            Self::LicenceConditions | Self::LicenceOutcome => ContactKind::LicenceConditions,
            Self::ComplaintAck => ContactKind::ComplaintAck,
            Self::WrittenFollowUp => ContactKind::WrittenFollowUp,
            Self::CaseClosure => ContactKind::Closure,
        }
    }

    /// The letter that answers a reminder of the diary, if one does.
    pub fn answering(reminder: ReminderKind) -> Option<Self> {
        Some(match reminder {
            ReminderKind::InitialOffer | ReminderKind::DiscretionaryOffer => Self::InitialOffer,
            // Offering the scheme again before a release is the offer that follows up one
            // never answered.
            ReminderKind::SecondOffer | ReminderKind::ReleaseReoffer => Self::SecondOffer,
            ReminderKind::AnnualLetter => Self::AnnualLetter,
            ReminderKind::WrittenFollowUp => Self::WrittenFollowUp,
            ReminderKind::ComplaintAck => Self::ComplaintAck,
            ReminderKind::KeyDate => Self::KeyDate,
            ReminderKind::VpsOffer => Self::VpsOffer,
            ReminderKind::LicenceConditions => Self::LicenceConditions,
            ReminderKind::LicenceOutcome => Self::LicenceOutcome,
            ReminderKind::CaseClosure => Self::CaseClosure,
            // A decision, or work with an agency or a court: no letter to the victim.
            _ => return None,
        })
    }
}

string_enum!(
    /// Where a reminder stands on the diary's date.
    DiaryStatus {
        Overdue = "overdue": "Overdue",
        DueToday = "due_today": "Today",
        DueSoon = "due_soon": "This week",
        Upcoming = "upcoming": "Later",
    }
);

/// The nine protected characteristics of the Equality Act 2010 (`equality` keys).
pub const EQUALITY_KEYS: &[&str] = &[
    "age",
    "disability",
    "gender_reassignment",
    "marriage_civil_partnership",
    "pregnancy_maternity",
    "race",
    "religion_belief",
    "sex",
    "sexual_orientation",
];

/// A protected characteristic's name for people, by its key (`religion_belief`: "Religion
/// or belief", as the Equality Act 2010 names it).
pub fn equality_label(key: &str) -> &'static str {
    match key {
        "age" => "Age",
        "disability" => "Disability",
        "gender_reassignment" => "Gender reassignment",
        "marriage_civil_partnership" => "Marriage or civil partnership",
        "pregnancy_maternity" => "Pregnancy or maternity",
        "race" => "Race",
        "religion_belief" => "Religion or belief",
        "sex" => "Sex",
        "sexual_orientation" => "Sexual orientation",
        _ => "Another characteristic",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_round_trip_through_serde() {
        for kind in KeyDateKind::ALL {
            let json = serde_json::to_string(kind).unwrap();
            let back: KeyDateKind = serde_json::from_str(&json).unwrap();
            assert_eq!(*kind, back);
        }
        assert_eq!(
            serde_json::to_string(&SentenceKind::RestrictedHospitalOrder).unwrap(),
            "\"restricted_hospital_order\""
        );
    }

    #[test]
    fn unknown_identifier_is_refused() {
        assert!(serde_json::from_str::<VictimStatus>("\"opted-in\"").is_err());
        assert_eq!(VictimStatus::parse("opted_in"), Some(VictimStatus::OptedIn));
    }
}
