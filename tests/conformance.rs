//! One suite over the unit's API, run against the store in this process and against a
//! client of the unit service: the same commands, in the same order, on two copies of the
//! sample unit must come out the same — every change's number and what it touched, every
//! refusal's kind and sentence, every conflict's record and version, the audit trail entry
//! for entry. A second engine (or a second way to reach the unit) is held to the same
//! transcript by adding it here.

mod common;

use chrono::NaiveDate;
use common::Sandbox;
use common::service::Service;
use vlu::domain::model::{Case, Victim};
use vlu::domain::retention::{Reason, Target};
use vlu::service::client::Client;
use vlu::store::{AuditQuery, Closing, Record, Snooze, StoreError};
use vlu::unit::api::{UnitAdmin, UnitStore};
use vlu::unit::command::Command;

/// What a unit answered, with what changes from run to run (times) left out.
#[derive(Debug, PartialEq)]
enum Said {
    Saved {
        seq: u64,
        victims: Vec<String>,
        cases: Vec<String>,
        snoozes: bool,
        entry: Option<usize>,
        versions: Vec<(Record, String, u64)>,
    },
    Conflict {
        record: Record,
        id: String,
        version: u64,
        by: String,
    },
    /// Any other refusal: its kind (the error's variant) and its sentence.
    Refused(String, String),
    /// A victim's whole record read (`whole_victim`): the victim's and case's ids, the
    /// versions, the log's length.
    Read(Option<Whole>),
}

/// The victims' and cases' ids, the versions, the log's length.
type Whole = (Vec<String>, Vec<String>, Vec<(Record, String, u64)>, usize);

fn read(unit: &impl UnitStore, id: &str) -> Said {
    Said::Read(unit.whole_victim(id).unwrap().map(|whole| {
        (
            whole.victims.iter().map(|v| v.id.clone()).collect(),
            whole.cases.iter().map(|c| c.id.clone()).collect(),
            whole.versions,
            whole.victims.iter().map(|v| v.contacts.len()).sum(),
        )
    }))
}

fn said(result: Result<vlu::unit::api::Saved, StoreError>) -> Said {
    match result {
        Ok(saved) => Said::Saved {
            seq: saved.changed.seq,
            victims: saved.changed.victims,
            cases: saved.changed.cases,
            snoozes: saved.changed.snoozes,
            entry: saved.changed.entry,
            versions: saved.fresh.versions,
        },
        Err(StoreError::Conflict { record, id, since }) => Said::Conflict {
            record,
            id,
            version: since.version,
            by: since.by,
        },
        Err(e) => {
            let kind = format!("{e:?}");
            let kind = kind.split(['(', ' ', '{']).next().unwrap_or_default();
            Said::Refused(kind.to_owned(), e.to_string())
        }
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The script: the casework a day brings, and the refusals and conflicts it meets.
fn script<U: UnitStore + UnitAdmin>(unit: &U) -> Vec<Said> {
    let mut out = Vec::new();
    let joan: Victim = unit.victim("V-0001").unwrap().unwrap();
    let case: Case = unit.case(&joan.case_id).unwrap().unwrap();
    let base = unit.stamp(Record::Victim, "V-0001").unwrap().version;
    let case_base = unit.stamp(Record::Case, &case.id).unwrap().version;
    let mut run = |command: Command| out.push(said(unit.execute(&command)));

    run(Command::LogContact {
        victim: "V-0001".into(),
        contact: common::note("Rang: no answer."),
    });
    let renamed = Victim {
        name: format!("{} Hale", joan.name),
        contacts: Vec::new(),
        ..joan.clone()
    };
    run(Command::SaveVictim {
        victim: Box::new(renamed.clone()),
        base,
        contact: None,
    });
    // The same save again, made from the version before it: a conflict.
    run(Command::SaveVictim {
        victim: Box::new(renamed),
        base,
        contact: None,
    });
    run(Command::LogContact {
        victim: "V-9999".into(),
        contact: common::note("Nobody."),
    });
    run(Command::AddVictim(Box::new(Victim {
        id: String::new(),
        case_id: "C-nowhere".into(),
        contacts: Vec::new(),
        ..joan.clone()
    })));
    run(Command::Snooze(Snooze {
        reminder: "annual_letter/V-0001/-/2027-01-10".into(),
        until: day("2027-01-15"),
        reason: "Victim asked to wait until after the trial.".into(),
        by: "sahmed".into(),
    }));
    run(Command::Unsnooze {
        reminder: "annual_letter/V-0001/-/2027-01-10".into(),
    });
    run(Command::Unsnooze {
        reminder: "annual_letter/V-0001/-/2027-01-10".into(),
    });
    run(Command::CloseCase(Closing {
        case: case.id.clone(),
        on: day("2026-12-01"),
        reason: "Sentence ended.".into(),
        by: None,
        base: case_base + 7,
    }));
    run(Command::SaveCase {
        case: Box::new(Case {
            sex_offender_notification: Some(!case.sex_offender_notification.unwrap_or(false)),
            ..case
        }),
        base: case_base,
        why: Some("offence recorded wrongly".into()),
    });
    let erased = unit.erase(&Target::Victim("V-0002".into()), Reason::Error);
    out.push(match erased {
        Ok(e) => Said::Saved {
            seq: e.seq,
            victims: e.victims,
            cases: e.cases,
            snoozes: false,
            entry: None,
            versions: Vec::new(),
        },
        Err(e) => said(Err(e)),
    });
    // An entry with a terminal's escape code in it: refused whole, by the import's rules.
    out.push(said(unit.execute(&Command::LogContact {
        victim: "V-0001".into(),
        contact: common::note("Rang\u{1b}[2J back."),
    })));
    // What the screens read of a victim, after all that; and of one who is not there.
    out.push(read(unit, "V-0001"));
    out.push(read(unit, "V-9999"));
    out
}

/// One audit entry: number, who, what, to what, which fields.
type Entry = (u64, String, String, Option<String>, Vec<String>);

/// The audit trail, entry by entry.
fn trail<U: UnitAdmin>(unit: &U) -> Vec<Entry> {
    unit.audit(&AuditQuery::default())
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                e.seq,
                e.record.user,
                e.record.action,
                e.record.subject,
                e.record.fields,
            )
        })
        .collect()
}

/// The script's answers and the audit trail after it, on the store in this process.
fn in_process(sandbox: &Sandbox) -> (Vec<Said>, Vec<Entry>) {
    // In this test's account's name, as the service knows it.
    let store = sandbox.store_as(&common::me());
    (script(&store), trail(&store))
}

/// The same, through a client of the unit service on the sandbox's store.
fn through_the_service(sandbox: &Sandbox) -> (Vec<Said>, Vec<Entry>) {
    let _service = Service::start(sandbox);
    let client = Client::connect(&sandbox.data_dir()).unwrap().unwrap();
    (script(&client), trail(&client))
}

#[test]
fn the_store_in_this_process_and_the_unit_service_answer_alike() {
    let (local, local_trail) = in_process(&Sandbox::with_sample());
    let (served, served_trail) = through_the_service(&Sandbox::with_sample());
    expected_of_the_script(&local, &local_trail);
    for (n, (l, s)) in local.iter().zip(&served).enumerate() {
        assert_eq!(l, s, "step {n}: in process, then through the service");
    }
    assert_eq!(local.len(), served.len());
    assert_eq!(
        local_trail, served_trail,
        "the same audit trail, entry for entry"
    );
}

#[test]
fn the_unit_on_postgresql_answers_as_on_the_embedded_engine() {
    let (Some(here), Some(there)) = (
        Sandbox::with_sample_in_postgres(),
        Sandbox::with_sample_in_postgres(),
    ) else {
        return;
    };
    let (embedded, embedded_trail) = in_process(&Sandbox::with_sample());
    for (how, (said, trail)) in [
        ("in process", in_process(&here)),
        ("through the service", through_the_service(&there)),
    ] {
        expected_of_the_script(&said, &trail);
        for (n, (e, p)) in embedded.iter().zip(&said).enumerate() {
            assert_eq!(e, p, "step {n}: on sled, then on PostgreSQL {how}");
        }
        assert_eq!(embedded.len(), said.len());
        assert_eq!(
            embedded_trail, trail,
            "the same audit trail on PostgreSQL {how}"
        );
    }
}

/// The script meets what it is written to meet, so that agreeing is not agreeing on
/// nothing: saves, one conflict, refusals of each kind.
fn expected_of_the_script(local: &[Said], local_trail: &[Entry]) {
    let n = local.len();
    assert!(
        matches!(&local[n - 2], Said::Read(Some((victims, cases, versions, log)))
            if victims == &["V-0001"] && cases.len() == 1 && versions.len() == 2 && *log > 0),
        "{local:?}"
    );
    assert_eq!(local[n - 1], Said::Read(None));
    assert!(
        matches!(local[0], Said::Saved { entry: Some(_), .. }),
        "{local:?}"
    );
    assert!(matches!(local[1], Said::Saved { .. }), "{local:?}");
    assert!(
        matches!(&local[2], Said::Conflict { record: Record::Victim, id, .. } if id == "V-0001"),
        "{local:?}"
    );
    assert!(
        matches!(&local[3], Said::Refused(kind, why) if kind == "NotFound" && why == "there is no victim V-9999"),
        "{local:?}"
    );
    assert!(
        matches!(&local[4], Said::Refused(kind, why) if kind == "NotFound" && why.contains("C-nowhere")),
        "{local:?}"
    );
    assert!(
        matches!(local[5], Said::Saved { snoozes: true, .. }),
        "{local:?}"
    );
    assert!(
        matches!(local[6], Said::Saved { snoozes: true, .. }),
        "{local:?}"
    );
    assert!(
        matches!(&local[7], Said::Refused(_, why) if why.contains("not snoozed")),
        "{local:?}"
    );
    assert!(
        matches!(
            local[8],
            Said::Conflict {
                record: Record::Case,
                ..
            }
        ),
        "{local:?}"
    );
    assert!(matches!(local[9], Said::Saved { .. }), "{local:?}");
    assert!(
        matches!(&local[10], Said::Saved { victims, .. } if victims == &["V-0002"]),
        "{local:?}"
    );

    assert!(
        matches!(&local[11], Said::Refused(kind, why) if kind == "Invalid" && why.ends_with(", so nothing was saved")),
        "{local:?}"
    );
    assert_eq!(local_trail.len(), 8, "{local_trail:?}");
}

/// A return asked by the unit's rules reads the facts the store keeps (the first one keeps
/// them); one asked by other rules works them out from the records. After changes of every
/// kind a return touches — a log entry, a victim's status, a case's key date, a case closed —
/// the kept facts give the figures the records give.
fn kept_facts_follow_every_change<U: UnitStore>(unit: &U, how: &str) {
    use vlu::domain::calendar::DayChanges;
    use vlu::domain::enums::{ContactKind, Direction, KeyDateKind, Medium};
    use vlu::domain::model::{Contact, KeyDate};
    use vlu::domain::report::ReportQuery;
    use vlu::domain::rules::LeadTimes;
    use vlu::store::ReportAsk;
    let ask = |working: Vec<NaiveDate>| ReportAsk {
        query: ReportQuery {
            from: day("2026-10-01"),
            to: day("2026-12-31"),
            officer: None,
            made_on: day("2027-01-05"),
            weeks: 52,
        },
        lead: LeadTimes::default(),
        calendar: DayChanges {
            non_working: Vec::new(),
            working,
        },
    };
    // Other rules that give the same figures: a Saturday worked long before anything here.
    let fresh = || unit.report(&ask(vec![day("1990-01-06")])).unwrap();
    let kept = || unit.report(&ask(Vec::new())).unwrap();
    // The first return keeps the facts; the second reads them.
    let before = kept();
    assert_eq!(before, kept(), "{how}: the kept facts read back");
    let contact = |on: &str, kind, direction| Contact {
        on: day(on),
        kind,
        method: Medium::Phone,
        direction,
        summary: Some("Spoke about the hearing.".into()),
        ..common::note("")
    };
    for (victim, c) in [
        (
            "V-0001",
            contact("2026-11-02", ContactKind::Complaint, Direction::Inbound),
        ),
        (
            "V-0002",
            contact("2026-10-20", ContactKind::OptIn, Direction::Inbound),
        ),
        (
            "V-0003",
            contact("2026-10-12", ContactKind::Update, Direction::Outbound),
        ),
    ] {
        unit.execute(&Command::LogContact {
            victim: victim.into(),
            contact: c,
        })
        .unwrap();
    }
    let joan: Victim = unit.victim("V-0001").unwrap().unwrap();
    let case: Case = unit.case(&joan.case_id).unwrap().unwrap();
    let base = unit.stamp(Record::Case, &case.id).unwrap().version;
    let mut dated = case.clone();
    dated.key_dates.push(KeyDate {
        kind: KeyDateKind::ParoleHearing,
        date: day("2026-11-20"),
        confirmed: Some(true),
        note: None,
    });
    unit.execute(&Command::SaveCase {
        case: Box::new(dated),
        base,
        why: Some("hearing listed".into()),
    })
    .unwrap();
    let after = kept();
    assert_ne!(before, after, "{how}: the changes are in the return");
    assert_eq!(
        after,
        fresh(),
        "{how}: the kept facts followed every change"
    );
}

#[test]
fn the_returns_kept_facts_follow_every_change_on_every_engine() {
    let sandbox = Sandbox::with_sample();
    kept_facts_follow_every_change(&sandbox.store_as(&common::me()), "in process");
    let served = Sandbox::with_sample();
    let _service = Service::start(&served);
    let client = Client::connect(&served.data_dir()).unwrap().unwrap();
    kept_facts_follow_every_change(&client, "through the service");
    if let Some(pg) = Sandbox::with_sample_in_postgres() {
        kept_facts_follow_every_change(&pg.store_as(&common::me()), "on PostgreSQL");
    }
}
