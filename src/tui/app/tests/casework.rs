//! The casework forms driven as a user drives them: keys, typed text, a save through the
//! store, and the screens reading back what the store holds.

use super::*;
use crate::domain::enums::{ComplaintOutcome, KeyDateKind};
use crate::unit::command::Command;

fn reminders_of(app: &App, victim: &str) -> Vec<(ReminderKind, NaiveDate)> {
    let i = app.victim_by_id(victim).unwrap();
    app.open_reminders(i)
        .into_iter()
        .map(|r| (r.kind, r.due))
        .collect()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_vps_and_a_complaint_are_recorded_in_the_casework_form_and_start_their_clocks() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "nadia kowalska");
    keys(&mut app, "enter enter v");
    let f = form(&app);
    assert!(
        f.title.starts_with("Casework of Nadia Kowalska"),
        "{}",
        f.title
    );
    assert!(
        f.fields
            .iter()
            .any(|f| f.name == "complaints[0].received_on"),
        "an empty complaint to add"
    );
    assert!(
        !reminders_of(&app, "V-0005")
            .iter()
            .any(|(k, _)| matches!(k, ReminderKind::VpsSubmit | ReminderKind::ComplaintAnswer))
    );

    fill(&mut app, "vps.offered_on", "2026-11-02");
    fill(&mut app, "complaints[0].received_on", "2026-11-20");
    fill(&mut app, "complaints[0].acknowledged_on", "2026-11-19");
    fill(
        &mut app,
        "complaints[0].summary",
        "a letter named the wrong person",
    );
    // Acknowledged before it came: refused, the problem beside its field.
    assert!(keys(&mut app, "ctrl-s").is_empty());
    let f = form(&app);
    assert_eq!(f.fields[f.focus].name, "complaints[0].acknowledged_on");
    assert_eq!(
        f.fields[f.focus].problem.as_deref(),
        Some("acknowledged_on 2026-11-19 is before received_on 2026-11-20")
    );
    fill(&mut app, "complaints[0].acknowledged_on", "");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::SaveVictim { base, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(*base > 0, "made from the version read");
    store.save(&mut app, &effects[0]);
    assert_eq!(app.screen.message.as_deref(), Some("Victim saved."));

    let stored = store.store.victim("V-0005").unwrap().unwrap();
    assert_eq!(
        stored.vps.as_ref().unwrap().offered_on,
        Some(day("2026-11-02"))
    );
    assert_eq!(stored.complaints.len(), 1, "the empty entry is not saved");
    assert_eq!(
        stored.complaints[0].summary.as_deref(),
        Some("a letter named the wrong person")
    );
    // The screens read it back, and the diary has the clocks: the hearing of 12 January
    // less 28 days; Friday 20 November plus 10 and 20 working days.
    let open = reminders_of(&app, "V-0005");
    for expected in [
        (ReminderKind::VpsSubmit, day("2026-12-15")),
        (ReminderKind::ComplaintAck, day("2026-12-04")),
        (ReminderKind::ComplaintAnswer, day("2026-12-18")),
    ] {
        assert!(open.contains(&expected), "{expected:?} in {open:?}");
    }
    let vps = app
        .open_reminders(app.victim_by_id("V-0005").unwrap())
        .into_iter()
        .find(|r| r.kind == ReminderKind::VpsSubmit)
        .unwrap()
        .key_date;
    assert_eq!(vps, Some(KeyDateKind::ParoleHearing));
}

/// Opens the selected victim's casework form, fills it, and saves it through the store.
fn save_casework(app: &mut App, store: &SampleStore, fields: &[(&str, &str)]) {
    keys(app, "v");
    for (path, text) in fields {
        fill(app, path, text);
    }
    let effects = keys(app, "ctrl-s");
    assert_eq!(effects.len(), 1, "saved");
    store.save(app, &effects[0]);
}

#[test]
fn an_answered_complaint_and_a_sent_vps_stop_their_clocks_and_a_cleared_entry_goes() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "nadia kowalska");
    keys(&mut app, "enter enter");
    save_casework(
        &mut app,
        &store,
        &[
            ("vps.offered_on", "2026-11-02"),
            ("complaints[0].received_on", "2026-11-20"),
        ],
    );
    assert!(reminders_of(&app, "V-0005").contains(&(ReminderKind::VpsSubmit, day("2026-12-15"))));
    // Answered, with an outcome; the VPS sent: every clock stops.
    keys(&mut app, "v");
    assert_eq!(
        form(&app).value("complaints[0].received_on"),
        Some("2026-11-20")
    );
    assert!(
        form(&app)
            .fields
            .iter()
            .any(|f| f.name == "complaints[1].received_on"),
        "one more empty entry after the recorded one"
    );
    keys(&mut app, "esc");
    save_casework(
        &mut app,
        &store,
        &[
            ("complaints[0].answered_on", "2026-11-27"),
            ("complaints[0].outcome", "partly_upheld"),
            ("vps.submitted_on", "2026-12-01"),
        ],
    );
    let stored = store.store.victim("V-0005").unwrap().unwrap();
    assert_eq!(
        stored.complaints[0].outcome,
        Some(ComplaintOutcome::PartlyUpheld)
    );
    assert!(!reminders_of(&app, "V-0005").iter().any(|(k, _)| matches!(
        k,
        ReminderKind::VpsSubmit | ReminderKind::ComplaintAck | ReminderKind::ComplaintAnswer
    )));

    // Every field of the complaint cleared: the entry goes.
    save_casework(
        &mut app,
        &store,
        &[
            ("complaints[0].received_on", ""),
            ("complaints[0].answered_on", ""),
            ("complaints[0].outcome", ""),
        ],
    );
    assert!(
        store
            .store
            .victim("V-0005")
            .unwrap()
            .unwrap()
            .complaints
            .is_empty()
    );
}

#[test]
fn a_case_marked_transferred_in_the_screens_is_kept_without_reminders() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "nadia kowalska");
    keys(&mut app, "enter enter");
    assert!(!reminders_of(&app, "V-0005").is_empty());
    keys(&mut app, "C");
    fill(&mut app, "transferred.on", "2026-11-24");
    let effects = keys(&mut app, "ctrl-s");
    assert!(effects.is_empty(), "a transfer names where to");
    fill(&mut app, "transferred.to_area", "Southshire VLU");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::SaveCase { why, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(why.as_deref(), Some("transferred to Southshire VLU"));
    store.save(&mut app, &effects[0]);
    let stored = store.store.case("C-2019-112").unwrap().unwrap();
    assert_eq!(
        stored.transferred.unwrap().to_area.as_deref(),
        Some("Southshire VLU")
    );
    // Both victims of the case stay, with no reminders.
    for victim in ["V-0005", "V-0006"] {
        assert!(store.store.victim(victim).unwrap().is_some());
        assert!(reminders_of(&app, victim).is_empty(), "{victim}");
    }
}

/// Sandra Greaves's case is a restricted hospital order with no restricted-patient record:
/// added in the screens, the record is known from the screens' day, so the MHCS clock starts
/// then, not from her opt-in years ago.
#[test]
fn a_restricted_patient_record_added_in_the_screens_is_known_from_that_day() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "sandra greaves");
    keys(&mut app, "enter enter");
    keys(&mut app, "C");
    fill(&mut app, "restricted_patient.tribunal_on", "2027-03-01");
    let effects = keys(&mut app, "ctrl-s");
    store.save(&mut app, &effects[0]);
    let stored = store.store.case("C-2018-044").unwrap().unwrap();
    let today = app.settings.today;
    assert_eq!(stored.restricted_patient.unwrap().known_on, Some(today));
    let due: Vec<chrono::NaiveDate> = reminders_of(&app, "V-0011")
        .into_iter()
        .filter(|(kind, _)| *kind == crate::domain::enums::ReminderKind::MhcsRegister)
        .map(|(_, due)| due)
        .collect();
    assert_eq!(due.len(), 1);
    assert!(due[0] > today, "{due:?} on {today}");
}
