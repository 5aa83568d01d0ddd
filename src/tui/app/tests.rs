use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::enums::{ContactKind, ReminderKind};
use crate::domain::validate::{KnownIds, parse_caseload};
use crate::tui::form::FieldKind;
use crate::tui::keymap::Key;
use crate::unit::command::Command;

pub(crate) fn sample_app() -> App {
    let text = include_str!("../../../sample-data/northshire.json");
    let caseload = parse_caseload(text, &KnownIds::default(), false).unwrap();
    App::new(Setup::new(
        caseload,
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        "sahmed",
    ))
}

/// The sample unit in a throw-away store, for the saves a test makes through the loop's
/// `perform`: the screens then read back what the store holds, as they do for real.
pub(crate) struct SampleStore {
    pub(crate) store: crate::store::Store,
    _dir: tempfile::TempDir,
}

pub(crate) fn sample_store() -> SampleStore {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::store::Store::open(dir.path(), "tester").unwrap();
    let text = include_str!("../../../sample-data/northshire.json");
    let caseload = parse_caseload(text, &KnownIds::default(), false).unwrap();
    store.import(&caseload, false).unwrap();
    SampleStore { store, _dir: dir }
}

impl SampleStore {
    /// Saves as the loop does.
    pub(crate) fn save(&self, app: &mut App, effect: &Effect) {
        crate::tui::run::perform(&self.store, app, effect);
    }
}

/// The sample's store, and `app` (made from the caseload file, not read from the store)
/// told every record's version, as reading the records would tell it.
pub(crate) fn sample_store_for(app: &mut App) -> SampleStore {
    use crate::store::Record;
    let store = sample_store();
    let mut versions = Vec::new();
    for v in &app.caseload().victims {
        let stamp = store.store.stamp(Record::Victim, &v.id).unwrap();
        versions.push((Record::Victim, v.id.clone(), stamp.version));
    }
    for c in &app.caseload().cases {
        let stamp = store.store.stamp(Record::Case, &c.id).unwrap();
        versions.push((Record::Case, c.id.clone(), stamp.version));
    }
    app.versions_read(versions);
    store
}

/// Presses keys written as in a keymap, space-separated ("a", "ctrl-s", "enter").
fn keys(app: &mut App, script: &str) -> Vec<Effect> {
    script
        .split(' ')
        .filter_map(|k| app.on_key(&Key::parse(k).unwrap().to_event()))
        .collect()
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        assert!(
            app.on_key(&KeyEvent::new(code, KeyModifiers::NONE))
                .is_none()
        );
    }
}

fn selected_name(app: &App) -> &str {
    &app.selected_victim().unwrap().name
}

fn form(app: &App) -> &Form {
    match app.screen.overlays.last() {
        Some(Overlay::Form(f)) => f,
        other => panic!("no form open: {other:?}"),
    }
}

#[test]
fn the_caseload_opens_most_urgent_first() {
    let app = sample_app();
    assert_eq!(app.screen.focus, Pane::Caseload);
    assert_eq!(app.list.rows.len(), 45);
    assert_eq!(selected_name(&app), "Kofi Mensah");
    assert_eq!(app.counts(), (17, 4, 15));
}

#[test]
fn tab_and_shift_tab_move_between_panes() {
    let mut app = sample_app();
    keys(&mut app, "tab");
    assert_eq!(app.screen.focus, Pane::Diary);
    keys(&mut app, "tab tab");
    assert_eq!(app.screen.focus, Pane::Caseload);
    keys(&mut app, "shift-tab");
    assert_eq!(app.screen.focus, Pane::Contacts);
}

#[test]
fn search_finds_aliases_numbers_and_names_without_accents() {
    let mut app = sample_app();
    for (query, expected) in [
        ("danny reeves", vec!["Joan Mercer"]),
        ("zoe", vec!["Zoë Ó Súilleabháin"]),
        ("A1234BC", vec!["Joan Mercer"]),
        (
            "c-2009-004",
            vec!["Helen Marsh", "Robert Marsh", "Chloe Marsh"],
        ),
        ("renee", vec!["Renée Dubois"]),
    ] {
        keys(&mut app, "/");
        type_text(&mut app, query);
        let mut names: Vec<&str> = app
            .list
            .rows
            .iter()
            .map(|&i| app.caseload().victims[i].name.as_str())
            .collect();
        let mut want = expected.clone();
        names.sort_unstable();
        want.sort_unstable();
        assert_eq!(names, want, "{query}");
        keys(&mut app, "esc");
        assert_eq!(app.list.rows.len(), 45, "Esc clears the search");
    }
}

#[test]
fn typing_in_the_search_line_does_not_trigger_keys() {
    let mut app = sample_app();
    keys(&mut app, "/");
    type_text(&mut app, "qa");
    assert!(!app.screen.quit);
    assert!(app.screen.overlays.is_empty());
    assert_eq!(app.list.query, "qa");
}

#[test]
fn contact_details_are_masked_until_revealed_and_the_reveal_is_asked_of_the_store() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    let opened = keys(&mut app, "enter enter");
    assert_eq!(app.screen.overlays, [Overlay::Victim { revealed: false }]);
    assert_eq!(
        opened,
        [Effect::Consult {
            victim: "V-0001".into()
        }],
        "opening the record is a consultation for the store to audit"
    );
    let effects = keys(&mut app, "r");
    assert_eq!(
        effects,
        [Effect::Reveal {
            victim: "V-0001".into()
        }]
    );
    // Not revealed until the store has audited it.
    assert_eq!(app.screen.overlays, [Overlay::Victim { revealed: false }]);
    store.save(&mut app, &effects[0]);
    assert_eq!(app.screen.overlays, [Overlay::Victim { revealed: true }]);
    keys(&mut app, "esc enter");
    assert_eq!(
        app.screen.overlays,
        [Overlay::Victim { revealed: false }],
        "the mask returns on leaving"
    );
    // A consultation the store could not record: the record is not shown.
    app.consultation_failed("the disk is full");
    assert!(app.screen.overlays.is_empty());
    assert!(
        app.screen
            .message
            .as_deref()
            .unwrap()
            .starts_with("Not opened")
    );
}

#[test]
fn logging_the_contact_a_reminder_asks_for_resolves_it() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter");
    // Her licence requests are late going to the decision maker; the release date is due
    // to be told today.
    let joan = app.selected_victim_index().unwrap();
    assert_eq!(
        app.next_reminder(joan).map(|r| r.kind),
        Some(ReminderKind::LicenceSubmit)
    );
    assert!(
        app.open_reminders(joan)
            .iter()
            .any(|r| r.kind == ReminderKind::KeyDate)
    );
    keys(&mut app, "a");
    assert_eq!(form(&app).value("on"), Some("2026-11-24"));
    // Kind: update; method: letter; direction: outbound; key date: crd.
    keys(&mut app, "tab tab tab tab tab");
    assert_eq!(form(&app).fields[form(&app).focus].name, "key_date");
    let crd = KeyDateKind::IDS.iter().position(|k| *k == "crd").unwrap() + 1;
    for _ in 0..crd {
        keys(&mut app, "right");
    }
    assert_eq!(form(&app).value("key_date"), Some("crd"));
    keys(&mut app, "tab");
    type_text(
        &mut app,
        "Told Joan the release is in December.\nShe will call back.",
    );
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::LogContact { victim, contact })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(victim, "V-0001");
    assert_eq!(contact.key_date, Some(KeyDateKind::Crd));
    assert_eq!(contact.by.as_deref(), Some("sahmed"));
    assert_eq!(
        contact.summary.as_deref(),
        Some("Told Joan the release is in December.\nShe will call back.")
    );
    let before = app.counts();
    store.save(&mut app, &effects[0]);
    assert!(app.screen.overlays.is_empty());
    assert_eq!(app.counts(), (before.0, before.1 - 1, before.2));
    assert_eq!(app.screen.message.as_deref(), Some("Contact saved."));
}

#[test]
fn a_bad_field_keeps_the_form_and_says_what_is_wrong_next_to_it() {
    let mut app = sample_app();
    keys(&mut app, "a");
    keys(&mut app, "backspace backspace");
    type_text(&mut app, "31");
    keys(
        &mut app,
        "backspace backspace backspace backspace backspace",
    );
    type_text(&mut app, "02-31");
    keys(&mut app, "tab");
    type_text(&mut app, "9.30");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    let f = form(&app);
    assert_eq!(f.value("on"), Some("2026-02-31"));
    assert_eq!(
        f.fields[0].problem.as_deref(),
        Some("invalid date \"2026-02-31\" (expected 20/08/2027 or 2027-08-20)")
    );
    assert!(
        f.fields[1]
            .problem
            .as_deref()
            .unwrap()
            .starts_with("invalid time")
    );
    assert_eq!(f.focus, 0, "the cursor goes to the first problem");
}

#[test]
fn a_failed_save_keeps_what_was_typed() {
    let mut app = sample_app();
    keys(&mut app, "a tab tab tab tab tab tab");
    type_text(&mut app, "Spoke to her.");
    let effects = keys(&mut app, "ctrl-s");
    assert_eq!(effects.len(), 1);
    app.failed("no space left on device");
    let f = form(&app);
    assert_eq!(f.value("summary"), Some("Spoke to her."));
    assert_eq!(
        f.problem.as_deref(),
        Some("Not saved: no space left on device")
    );
    keys(&mut app, "esc");
    assert!(
        form(&app)
            .problem
            .as_deref()
            .unwrap()
            .starts_with("Throw away what was typed?"),
        "Esc on a changed form asks first"
    );
    assert_eq!(form(&app).value("summary"), Some("Spoke to her."));
    keys(&mut app, "esc");
    assert!(
        app.screen.overlays.is_empty(),
        "a second Esc leaves without saving"
    );
}

#[test]
fn esc_on_an_untouched_form_closes_it_and_any_key_after_a_first_esc_goes_on() {
    let mut app = sample_app();
    keys(&mut app, "a esc");
    assert!(
        app.screen.overlays.is_empty(),
        "nothing typed: nothing to lose"
    );
    keys(&mut app, "a tab tab tab tab tab tab");
    type_text(&mut app, "Half");
    keys(&mut app, "esc");
    type_text(&mut app, " done");
    keys(&mut app, "esc");
    assert_eq!(
        form(&app).value("summary"),
        Some("Half done"),
        "typing went on; asked again"
    );
}

#[test]
fn the_contact_form_names_the_call_a_letter_confirms() {
    let mut app = sample_app();
    keys(&mut app, "a tab tab tab tab tab tab tab");
    assert_eq!(form(&app).fields[form(&app).focus].name, "follows");
    type_text(&mut app, "two");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    let f = form(&app);
    assert_eq!(
        f.fields[f.focus].problem.as_deref(),
        Some("a number of an entry of the log, from 1")
    );
    keys(&mut app, "backspace backspace backspace");
    type_text(&mut app, "2");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::LogContact { contact, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(contact.follows, Some(2));
}

#[test]
fn a_paste_lands_whole_in_the_field_with_plain_line_endings_and_its_tab() {
    let mut app = sample_app();
    keys(&mut app, "a tab tab tab tab tab tab");
    app.on_paste("From: the police\r\nCalled\tback at 3pm.\r\nShe is fine.");
    let f = form(&app);
    assert_eq!(
        f.text("summary"),
        Some("From: the police\nCalled\tback at 3pm.\nShe is fine.")
    );
    assert_eq!(
        f.value("kind"),
        Some("update"),
        "the paste changed no other field"
    );
    assert_eq!(f.focus, 6, "the paste moved no focus");
    // Into a one-line field the line breaks become spaces (past "Confirms call no.",
    // "Reported to" and the date, back to the time).
    keys(&mut app, "tab tab tab tab");
    app.on_paste("10:30\r\n");
    assert_eq!(form(&app).value("at"), Some("10:30"));
}

#[test]
fn up_and_down_move_between_the_lines_of_a_multi_line_field_before_leaving_it() {
    let mut app = sample_app();
    keys(&mut app, "a tab tab tab tab tab tab");
    type_text(&mut app, "one\ntwo\nthree");
    keys(&mut app, "up up");
    assert_eq!(form(&app).focus, 6, "still in the summary");
    assert_eq!(form(&app).fields[6].cursor().0, 0, "on its first line");
    type_text(&mut app, "X");
    assert_eq!(form(&app).text("summary"), Some("oneX\ntwo\nthree"));
    keys(&mut app, "up");
    assert_eq!(
        form(&app).focus,
        5,
        "up from the first line leaves the field"
    );
    keys(&mut app, "down down down");
    assert_eq!(form(&app).focus, 6);
    keys(&mut app, "ctrl-left");
    type_text(&mut app, "_");
    assert_eq!(
        form(&app).text("summary"),
        Some("oneX\ntwo\n_three"),
        "a word move"
    );
}

#[test]
fn a_new_search_starts_empty() {
    let mut app = sample_app();
    keys(&mut app, "/");
    type_text(&mut app, "joan");
    keys(&mut app, "enter");
    let found = app.list.rows.len();
    keys(&mut app, "/");
    assert!(app.list.query.is_empty());
    type_text(&mut app, "joan");
    assert_eq!(app.list.rows.len(), found, "not \"joanjoan\"");
}

#[test]
fn enter_on_a_diary_item_opens_its_victim_even_when_filtered_out() {
    let mut app = sample_app();
    keys(&mut app, "/");
    type_text(&mut app, "joan");
    keys(&mut app, "enter tab");
    assert_eq!(app.screen.focus, Pane::Diary);
    keys(&mut app, "end");
    let victim = app.diary.items.last().unwrap().reminder.victim_id.clone();
    keys(&mut app, "enter");
    assert_eq!(app.selected_victim().unwrap().id, victim);
    assert_eq!(app.screen.overlays, [Overlay::Victim { revealed: false }]);
    assert!(app.list.query.is_empty());
}

#[test]
fn a_snooze_needs_a_later_date_and_a_reason() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "tab z");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    assert_eq!(
        form(&app).fields[1].problem.as_deref(),
        Some("say why the reminder can wait")
    );
    assert_eq!(
        form(&app).focus,
        1,
        "the cursor is on the field with the problem"
    );
    type_text(&mut app, "Victim in hospital until next week.");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::Snooze(s))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(s.until, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    let item = app.diary.items[0].reminder.clone();
    store.save(&mut app, &effects[0]);
    assert!(app.snoozed(&item).is_some());
    assert_eq!(
        app.counts().0,
        16,
        "a snoozed item leaves the overdue count"
    );
}

#[test]
fn a_snooze_can_be_ended_from_the_diary() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    // Not snoozed: nothing to end, and it says so.
    assert!(keys(&mut app, "tab U").is_empty());
    assert_eq!(
        app.screen.message.as_deref(),
        Some("That reminder is not snoozed.")
    );
    // (Saved once without a reason, so that the cursor goes to it.)
    assert!(keys(&mut app, "z ctrl-s").is_empty());
    type_text(&mut app, "Victim in hospital until next week.");
    let snoozed = keys(&mut app, "ctrl-s");
    store.save(&mut app, &snoozed[0]);
    let item = app.diary.items[0].reminder.clone();
    assert!(app.snoozed(&item).is_some());
    let effects = keys(&mut app, "U");
    let [Effect::Save(Command::Unsnooze { reminder })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*reminder, item.identity());
    // Nothing changes until the store says it has.
    assert!(app.snoozed(&item).is_some());
    store.save(&mut app, &effects[0]);
    assert!(app.snoozed(&item).is_none());
    assert_eq!(app.counts().0, 17, "back among the overdue");
    assert_eq!(
        app.screen.message.as_deref(),
        Some("Snooze ended: the reminder is due again.")
    );
    assert_eq!(
        store.store.audit().unwrap().last().unwrap().action,
        "unsnooze"
    );
}

#[test]
fn mine_shows_only_the_signed_in_officers_victims() {
    let mut app = sample_app();
    keys(&mut app, "m");
    assert!(
        app.list
            .rows
            .iter()
            .all(|&i| app.caseload().victims[i].allocated_to.as_deref() == Some("sahmed"))
    );
    assert!(!app.list.rows.is_empty() && app.list.rows.len() < 45);
    keys(&mut app, "m s");
    assert!(
        app.list
            .rows
            .iter()
            .all(|&i| app.caseload().victims[i].status == VictimStatus::Referred)
    );
}

#[test]
fn opting_in_is_saved_with_its_log_entry() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "gemma lowe");
    keys(&mut app, "enter enter i");
    assert_eq!(form(&app).value("information"), Some("key_stages"));
    let effects = keys(&mut app, "ctrl-s");
    let [
        Effect::Save(Command::SaveVictim {
            victim,
            contact: Some(contact),
            ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(victim.status, VictimStatus::OptedIn);
    assert_eq!(
        victim.status_since,
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    );
    assert_eq!(contact.kind, ContactKind::OptIn);
    store.save(&mut app, &effects[0]);
    let v = app.selected_victim().unwrap();
    assert_eq!(v.status, VictimStatus::OptedIn);
    assert!(
        app.diary
            .items
            .iter()
            .all(|i| i.reminder.victim_id != "V-0017"
                || i.reminder.kind != ReminderKind::InitialOffer)
    );
}

#[test]
fn help_opens_and_any_key_closes_it_and_q_quits() {
    let mut app = sample_app();
    keys(&mut app, "?");
    assert_eq!(app.screen.overlays, [Overlay::Help]);
    // ↑/↓ scroll it (a small terminal cuts it); any other key closes it.
    keys(&mut app, "j");
    assert_eq!(app.screen.overlays, [Overlay::Help]);
    keys(&mut app, "a");
    assert!(app.screen.overlays.is_empty());
    keys(&mut app, "q");
    assert!(app.screen.quit);
}

#[test]
fn a_new_key_date_brings_its_reminder() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter t");
    assert_eq!(form(&app).value("which"), Some("new"));
    assert_eq!(form(&app).value("kind"), Some("crd"));
    keys(&mut app, "tab left left");
    assert_eq!(form(&app).value("kind"), Some("ped"));
    keys(&mut app, "tab");
    type_text(&mut app, "2026-12-30");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::SaveCase { case, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(
        case.key_dates
            .iter()
            .any(|k| k.kind == KeyDateKind::Ped && k.date.to_string() == "2026-12-30")
    );
    store.save(&mut app, &effects[0]);
    assert_eq!(app.screen.message.as_deref(), Some("Case saved."));
    assert!(
        app.diary
            .items
            .iter()
            .any(|i| i.reminder.victim_id == "V-0001"
                && i.reminder.key_date == Some(KeyDateKind::Ped)
                && i.reminder.due.to_string() == "2026-12-02")
    );
}

#[test]
fn a_new_victim_is_checked_like_an_import() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "n");
    assert_eq!(form(&app).value("id"), None, "the store gives the id");
    assert!(keys(&mut app, "ctrl-s").is_empty(), "a name is required");
    assert_eq!(
        form(&app).fields[2].problem.as_deref(),
        Some("missing required field")
    );
    type_text(&mut app, "Lucy Fairweather");
    keys(&mut app, "tab tab tab tab");
    // The officer is one of the unit's, not free text: typing does nothing; ←/→ choose.
    let officer = &form(&app).fields[6];
    assert_eq!(officer.name, "allocated_to");
    let FieldKind::Choice(options) = &officer.kind else {
        panic!("{officer:?}")
    };
    let ids: Vec<&str> = options.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["", "sahmed", "jokafor", "lmcbride", "pdevi", "tgreen"]
    );
    assert_eq!(
        officer.value(),
        "sahmed",
        "the signed-in officer's to begin with"
    );
    type_text(&mut app, "nobody");
    assert_eq!(form(&app).fields[6].value(), "sahmed");
    keys(&mut app, "right left");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::AddVictim(v))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (v.id.as_str(), v.name.as_str(), v.status),
        ("", "Lucy Fairweather", VictimStatus::Referred)
    );
    store.save(&mut app, &effects[0]);
    assert_eq!(app.caseload().victims.len(), 46);
    assert_eq!(app.selected_victim().unwrap().id, "V-0046");
    assert_eq!(app.screen.message.as_deref(), Some("Victim V-0046 added."));

    // A second one, from a screen that had not seen the first, still gets a new id.
    store.save(&mut app, &effects[0]);
    assert_eq!(app.selected_victim().unwrap().id, "V-0047");
}

#[test]
fn a_new_victim_under_a_typed_id_that_is_taken_is_refused() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "n");
    type_text(&mut app, "V-0099");
    keys(&mut app, "tab tab");
    type_text(&mut app, "Lucy Fairweather");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::AddVictim(v))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(v.id, "V-0099");
    // Someone else adds V-0099 first.
    store.store.add_victim(v).unwrap();
    store.save(&mut app, &effects[0]);
    let problem = form(&app).problem.clone().unwrap_or_default();
    assert!(
        problem.contains("there is already a victim V-0099"),
        "the form stays open with the refusal: {problem}"
    );
}

#[test]
fn a_new_case_needs_an_unused_id_and_a_real_date() {
    let mut app = sample_app();
    keys(&mut app, "N");
    type_text(&mut app, "C-2024-031");
    keys(&mut app, "tab");
    type_text(&mut app, "Jo Bloggs");
    keys(&mut app, "tab");
    type_text(&mut app, "Joe Blogs, JB");
    keys(&mut app, "tab tab tab tab tab");
    type_text(&mut app, "2026-13-01");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    let f = form(&app);
    assert!(
        f.fields[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("already in the store")
    );
    assert!(
        f.fields[7]
            .problem
            .as_deref()
            .unwrap()
            .starts_with("invalid date")
    );
    assert_eq!(form(&app).focus, 0, "the cursor goes to the first problem");
    for _ in 0..10 {
        keys(&mut app, "backspace");
    }
    type_text(&mut app, "C-2026-099");
    keys(&mut app, "shift-tab");
    for _ in 0..10 {
        keys(&mut app, "backspace");
    }
    type_text(&mut app, "2026-11-20");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::AddCase(c))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(c.offender.aliases, ["Joe Blogs", "JB"]);
    assert_eq!(c.id, "C-2026-099");
}

#[test]
fn a_sensitive_date_flags_the_reminders_near_it() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "gemma lowe");
    keys(&mut app, "enter enter w");
    type_text(&mut app, "2025-11-28");
    keys(&mut app, "tab");
    type_text(&mut app, "anniversary of the assault");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::SaveVictim { victim: v, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(
        v.contacts.is_empty(),
        "the log is not part of the record saved"
    );
    store.save(&mut app, &effects[0]);
    let item = app
        .diary
        .items
        .iter()
        .find(|i| i.reminder.victim_id == "V-0017")
        .unwrap();
    assert_eq!(
        item.reminder.sensitive.as_deref(),
        Some("anniversary of the assault")
    );
}

#[test]
fn the_diary_horizon_can_be_chosen() {
    let mut app = sample_app();
    let before = app.diary.items.len();
    keys(&mut app, "tab +");
    assert_eq!(app.diary.horizon, 21);
    assert!(app.diary.items.len() > before);
    keys(&mut app, "- - - -");
    assert_eq!(app.diary.horizon, 0);
    assert!(
        app.diary
            .items
            .iter()
            .all(|i| i.reminder.due <= app.settings().today)
    );
    for _ in 0..20 {
        keys(&mut app, "+");
    }
    assert_eq!(app.diary.horizon, MAX_HORIZON);
}

#[test]
fn the_victim_view_scrolls_and_opens_at_the_top() {
    let mut app = sample_app();
    keys(&mut app, "enter down down pagedown");
    assert_eq!(app.screen.overlay_scroll, 2 + 10);
    keys(&mut app, "up");
    assert_eq!(app.screen.overlay_scroll, 11);
    keys(&mut app, "home");
    assert_eq!(app.screen.overlay_scroll, 0);
    keys(&mut app, "down esc enter");
    assert_eq!(app.screen.overlay_scroll, 0);
    assert_eq!(
        app.list.selected, 0,
        "moving in the view does not move the caseload"
    );
}

#[test]
fn an_existing_key_date_can_be_changed() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter t right right");
    assert_eq!(form(&app).value("which"), Some("2: crd 2026-12-22"));
    assert_eq!(
        form(&app).value("kind"),
        Some("crd"),
        "the form is filled from the date chosen"
    );
    assert_eq!(form(&app).value("date"), Some("2026-12-22"));
    keys(&mut app, "tab tab");
    for _ in 0..10 {
        keys(&mut app, "backspace");
    }
    type_text(&mut app, "2027-01-12");
    assert!(
        keys(&mut app, "ctrl-s").is_empty(),
        "a recorded date changes with a reason"
    );
    assert_eq!(
        form(&app).fields[form(&app).focus].problem.as_deref(),
        Some("say why this date is changed or removed")
    );
    type_text(&mut app, "prison confirmed a new date");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::SaveCase { case, why, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(why.as_deref(), Some("prison confirmed a new date"));
    assert_eq!(case.key_dates.len(), 4, "changed, not added");
    assert_eq!(case.key_dates[1].date.to_string(), "2027-01-12");
    store.save(&mut app, &effects[0]);
    let joan = app.victim_by_id("V-0001").unwrap();
    assert!(
        app.open_reminders(joan)
            .iter()
            .any(|r| r.key_date == Some(KeyDateKind::Crd) && r.due.to_string() == "2026-12-15")
    );
    let audit = store.store.audit().unwrap().pop().unwrap();
    assert!(
        audit
            .fields
            .iter()
            .any(|f| f == "why: prison confirmed a new date"),
        "{audit:?}"
    );
}

#[test]
fn a_key_date_is_removed_with_a_reason_and_its_reminder_goes() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter t right right");
    assert_eq!(form(&app).value("which"), Some("2: crd 2026-12-22"));
    let f = form(&app);
    let remove = f.fields.iter().position(|f| f.name == "remove").unwrap();
    if let Some(Overlay::Form(form)) = app.screen.overlays.last_mut() {
        form.focus = remove;
    }
    keys(&mut app, "right tab");
    type_text(&mut app, "entered on the wrong case");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::SaveCase { case, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(case.key_dates.len(), 3);
    store.save(&mut app, &effects[0]);
    let joan = app.victim_by_id("V-0001").unwrap();
    assert!(
        !app.open_reminders(joan)
            .iter()
            .any(|r| r.key_date == Some(KeyDateKind::Crd)),
        "the removed date's reminder is gone"
    );
    let audit = store.store.audit().unwrap().pop().unwrap();
    assert!(
        audit
            .fields
            .iter()
            .any(|f| f == "why: entered on the wrong case")
    );
}

#[test]
fn an_entry_is_corrected_by_a_new_entry_that_names_it() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "helen marsh");
    keys(&mut app, "enter tab tab enter");
    let Some(Overlay::Entry(index)) = app.screen.overlays.last().cloned() else {
        panic!("{:?}", app.screen.overlays)
    };
    let shown = app.selected_victim().unwrap().contacts[index].clone();
    keys(&mut app, "c");
    assert!(
        keys(&mut app, "ctrl-s").is_empty(),
        "a correction must say what was wrong"
    );
    type_text(&mut app, "It was a letter, not a call.");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::LogContact { victim, contact })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(victim, "V-0002");
    let summary = contact.summary.as_deref().unwrap();
    assert!(
        summary.starts_with(&format!("Correction to the entry of {}", shown.on)),
        "{summary}"
    );
    assert!(summary.ends_with("It was a letter, not a call."));
    let before = app.selected_victim().unwrap().contacts.len();
    store.save(&mut app, &effects[0]);
    assert_eq!(
        app.selected_victim().unwrap().contacts.len(),
        before + 1,
        "nothing is changed, one entry is added"
    );
}

#[test]
fn a_change_to_one_victim_puts_it_where_a_full_sort_would() {
    use crate::domain::enums::{Direction, Medium};
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    let today = app.settings().today;
    let first = app.lens.order().to_vec();
    let agrees = |app: &mut App| {
        let incremental = (
            app.lens.order().to_vec(),
            app.list.rows.clone(),
            app.diary.items.clone(),
        );
        app.lens.rebuild();
        app.refresh();
        assert_eq!(
            (app.lens.order(), &app.list.rows, &app.diary.items),
            (incremental.0.as_slice(), &incremental.1, &incremental.2)
        );
    };
    // A letter to each victim in turn: each moves (an annual letter rolls on a year).
    let ids: Vec<String> = app
        .caseload()
        .victims
        .iter()
        .map(|v| v.id.clone())
        .collect();
    for id in ids {
        let contact = Contact {
            on: today,
            at: None,
            kind: ContactKind::Update,
            method: Medium::Letter,
            direction: Direction::Outbound,
            summary: None,
            by: None,
            key_date: None,
            corrects: None,
            follows: None,
            to: None,
        };
        store.save(
            &mut app,
            &Effect::Save(Command::LogContact {
                victim: id,
                contact,
            }),
        );
        agrees(&mut app);
    }
    assert_ne!(app.lens.order(), first, "the letters moved victims");
    // A snooze moves its victim too.
    let before = app.lens.order().to_vec();
    let reminder = app.diary.items[0].reminder.clone();
    store.save(
        &mut app,
        &Effect::Save(Command::Snooze(Snooze {
            reminder: reminder.identity(),
            until: today + chrono::Days::new(30),
            reason: "in hospital".into(),
            by: "sahmed".into(),
        })),
    );
    agrees(&mut app);
    assert_ne!(app.lens.order(), before, "the snooze moved its victim");
}

#[test]
fn a_search_finds_the_same_victims_however_far_the_idle_work_got() {
    let caseload = crate::generate::generate(5_000, 7, crate::generate::DEFAULT_AS_OF);
    let app = |slices: Option<usize>| {
        let mut app = App::new(Setup::new(
            caseload.clone(),
            crate::generate::DEFAULT_AS_OF,
            "o001",
        ));
        match slices {
            Some(n) => {
                for _ in 0..n {
                    assert!(app.idle_work(), "5,000 victims take more than {n} slices");
                }
            }
            None => while app.idle_work() {},
        }
        keys(&mut app, "/");
        type_text(&mut app, "mar");
        app
    };
    let mut whole = app(None);
    assert!(!whole.idle_work(), "nothing is left once it is done");
    assert!(
        whole.list.rows.len() > 10 && whole.list.rows.len() < 5_000,
        "{}",
        whole.list.rows.len()
    );
    assert_eq!(app(Some(0)).list.rows, whole.list.rows);
    assert_eq!(app(Some(1)).list.rows, whole.list.rows);
}

#[test]
fn a_form_opened_before_someone_elses_change_is_refused_and_keeps_what_was_typed() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "gemma lowe");
    keys(&mut app, "enter enter d");
    // Meanwhile someone else changes her record.
    let mut theirs = store.store.victim("V-0017").unwrap().unwrap();
    theirs.name = "Gemma Lowe-Hart".into();
    store.store.save_victim(&theirs).unwrap();
    let effects = keys(&mut app, "ctrl-s");
    store.save(&mut app, &effects[0]);
    let Some(Overlay::Form(open)) = app.screen.overlays.last() else {
        panic!("the form stays open: {:?}", app.screen.overlays.last());
    };
    let problem = open.problem.clone().unwrap_or_default();
    assert!(
        problem.contains("V-0017 was changed by tester"),
        "{problem}"
    );
    let stored = store.store.victim("V-0017").unwrap().unwrap();
    assert_eq!(stored.name, "Gemma Lowe-Hart", "their change stands");
    assert_eq!(
        stored.status,
        VictimStatus::Referred,
        "ours was not saved over it"
    );
}

/// Puts `text` in the open form's field at `path`.
fn fill(app: &mut App, path: &str, text: &str) {
    let Some(Overlay::Form(form)) = app.screen.overlays.last_mut() else {
        panic!("no form open")
    };
    let at = form
        .fields
        .iter()
        .position(|f| f.name == path)
        .unwrap_or_else(|| panic!("no field {path}"));
    form.focus = at;
    form.fields[at].set_text(text);
}

#[test]
fn every_part_of_a_victim_is_changed_in_one_form_checked_like_an_import() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter e");
    let f = form(&app);
    assert!(f.title.contains("reveal first"), "{}", f.title);
    assert!(
        f.fields.iter().all(|f| !f.name.contains("contact_details")),
        "contact details stay out of the form until revealed"
    );
    assert_eq!(f.value("preferences.information"), Some("key_stages"));
    assert_eq!(
        f.fields
            .iter()
            .find(|f| f.name == "preferences.information")
            .unwrap()
            .shown(),
        "every key stage"
    );
    fill(&mut app, "needs.language", "Polish");
    fill(&mut app, "needs.interpreter", "yes");
    fill(&mut app, "representative.name", "Marek Mercer");
    fill(&mut app, "representative.relationship", "son");
    fill(&mut app, "equality.age", "65-74");
    fill(&mut app, "referred_on", "2025-02-30");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    let f = form(&app);
    assert!(
        f.fields[f.focus].name == "referred_on"
            && f.fields[f.focus]
                .problem
                .as_deref()
                .unwrap()
                .starts_with("invalid date"),
        "the problem is beside its field"
    );
    fill(&mut app, "referred_on", "2024-06-20");
    let effects = keys(&mut app, "ctrl-s");
    let [
        Effect::Save(Command::SaveVictim {
            victim,
            base,
            contact: None,
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert!(*base > 0, "made from the version read");
    assert!(victim.contact_details.is_some(), "kept though not shown");
    store.save(&mut app, &effects[0]);
    assert_eq!(app.screen.message.as_deref(), Some("Victim saved."));
    let stored = store.store.victim("V-0001").unwrap().unwrap();
    assert_eq!(stored.needs.as_ref().unwrap().interpreter, Some(true));
    assert_eq!(
        stored.needs.as_ref().unwrap().language.as_deref(),
        Some("Polish")
    );
    assert_eq!(
        stored.representative.as_ref().unwrap().name.as_deref(),
        Some("Marek Mercer")
    );
    assert_eq!(
        stored.equality.as_ref().unwrap().age.as_deref(),
        Some("65-74")
    );
    let log = sample_app()
        .caseload()
        .victims
        .iter()
        .find(|v| v.id == "V-0001")
        .unwrap()
        .contacts
        .clone();
    assert_eq!(stored.contacts, log, "the log is untouched");
}

#[test]
fn contact_details_are_changed_only_once_revealed() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter");
    let reveal = keys(&mut app, "r");
    store.save(&mut app, &reveal[0]);
    keys(&mut app, "e");
    assert!(
        form(&app)
            .fields
            .iter()
            .any(|f| f.name == "contact_details.phone")
    );
    fill(&mut app, "contact_details.phone", "01632 960 111");
    let effects = keys(&mut app, "ctrl-s");
    store.save(&mut app, &effects[0]);
    let stored = store.store.victim("V-0001").unwrap().unwrap();
    assert_eq!(
        stored.contact_details.unwrap().phone.as_deref(),
        Some("01632 960 111")
    );
    // The change's entry (the record read back after it is a consultation, as through the
    // unit service).
    let audit = store
        .store
        .audit()
        .unwrap()
        .into_iter()
        .rfind(|a| a.action != "consult-victim")
        .unwrap();
    assert_eq!(audit.action, "update-victim");
    assert!(
        audit.fields.iter().any(|f| f.contains("contact_details")),
        "{audit:?}"
    );
    assert!(
        !format!("{audit:?}").contains("960 111"),
        "the audit names the field, never the number"
    );
}

#[test]
fn every_part_of_a_case_is_changed_in_one_form_aliases_added_and_removed() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter E");
    let before = form(&app)
        .value("offender.aliases")
        .unwrap_or("")
        .to_owned();
    fill(&mut app, "offender.aliases", "Danny Reeves, D. Reeve");
    fill(&mut app, "sentence.custodial_months", "six");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    let f = form(&app);
    assert_eq!(
        f.fields[f.focus].name, "sentence.custodial_months",
        "{before}"
    );
    fill(&mut app, "sentence.custodial_months", "72");
    fill(&mut app, "mappa.level", "2");
    let effects = keys(&mut app, "ctrl-s");
    store.save(&mut app, &effects[0]);
    let case_id = app.selected_victim().unwrap().case_id.clone();
    let stored = store.store.case(&case_id).unwrap().unwrap();
    assert_eq!(stored.offender.aliases, ["Danny Reeves", "D. Reeve"]);
    assert_eq!(stored.sentence.custodial_months, Some(72));
    assert_eq!(stored.mappa.unwrap().level, Some(2));
    // Removed again.
    keys(&mut app, "E");
    fill(&mut app, "offender.aliases", "");
    let effects = keys(&mut app, "ctrl-s");
    store.save(&mut app, &effects[0]);
    assert!(
        store
            .store
            .case(&case_id)
            .unwrap()
            .unwrap()
            .offender
            .aliases
            .is_empty()
    );
}

#[test]
fn closing_a_case_in_the_screens_closes_its_victims_and_their_reminders() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter x");
    assert!(keys(&mut app, "ctrl-s").is_empty(), "a reason is needed");
    assert_eq!(
        form(&app).fields[1].problem.as_deref(),
        Some("say why the case is closed")
    );
    type_text(&mut app, "Sentence expired; Joan asked to close.");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::CloseCase(closing))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(closing.base > 0);
    store.save(&mut app, &effects[0]);
    assert_eq!(
        app.screen.message.as_deref(),
        Some("Case closed, and its victims with it.")
    );
    let joan = app.victim_by_id("V-0001").unwrap();
    assert_eq!(app.caseload().victims[joan].status, VictimStatus::Closed);
    assert!(
        !app.diary
            .items
            .iter()
            .any(|i| i.reminder.victim_id == "V-0001"),
        "no reminders for a closed victim"
    );
}

#[test]
fn the_workload_view_is_a_managers_and_leads_into_one_officers_caseload() {
    use crate::unit::access::Role;
    let mut app = sample_app();
    app.settings_mut().role = Role::Vlo;
    keys(&mut app, "W");
    assert!(app.screen.overlays.is_empty());
    assert_eq!(
        app.screen.message.as_deref(),
        Some("The workload view is for the unit's managers and administrators.")
    );
    app.settings_mut().officer = "pdevi".into();
    app.settings_mut().role = Role::Manager;
    keys(&mut app, "W");
    let Some(Overlay::Workload(view)) = app.screen.overlays.last() else {
        panic!("{:?}", app.screen.overlays)
    };
    let lines = app.workload(view.sort);
    // Every victim is counted once, and the lines come most overdue first.
    assert_eq!(
        lines.iter().map(|l| l.victims).sum::<usize>(),
        app.caseload().victims.len()
    );
    assert!(lines.windows(2).all(|w| w[0].overdue >= w[1].overdue));
    let (overdue, ..) = app.counts();
    assert_eq!(
        lines.iter().map(|l| l.overdue).sum::<usize>(),
        overdue,
        "as the header counts"
    );
    let sahmed = lines
        .iter()
        .find(|l| l.officer == "sahmed")
        .unwrap()
        .clone();
    let opted_in = app
        .caseload()
        .victims
        .iter()
        .filter(|v| {
            v.allocated_to.as_deref() == Some("sahmed") && v.status == VictimStatus::OptedIn
        })
        .count();
    assert_eq!(sahmed.opted_in, opted_in);
    keys(&mut app, "s s s s");
    let Some(Overlay::Workload(view)) = app.screen.overlays.last() else {
        panic!()
    };
    assert_eq!(view.sort, WorkloadSort::Officer);
    let at = app
        .workload(WorkloadSort::Officer)
        .iter()
        .position(|l| l.officer == "sahmed")
        .unwrap();
    for _ in 0..at {
        keys(&mut app, "down");
    }
    keys(&mut app, "enter");
    assert!(app.screen.overlays.is_empty());
    assert_eq!(app.list.rows.len(), sahmed.victims, "only sahmed's victims");
    assert!(
        app.diary
            .items
            .iter()
            .all(|i| i.reminder.officer.as_deref() == Some("sahmed"))
    );
    keys(&mut app, "m");
    assert_eq!(
        app.list.rows.len(),
        app.caseload().victims.len(),
        "m goes back to the whole unit"
    );
}
mod casework;
mod friction;
mod thin;
mod walk;

#[test]
fn a_correction_of_an_entrys_kind_or_day_changes_the_reminders_it_resolved() {
    use crate::domain::enums::{Direction, Medium};
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter");
    let joan = app.victim_by_id("V-0001").unwrap();
    let crd = |app: &App| {
        app.open_reminders(joan)
            .iter()
            .any(|r| r.kind == ReminderKind::KeyDate && r.key_date == Some(KeyDateKind::Crd))
    };
    assert!(crd(&app), "the release date is to be told");
    // Logged as a letter about the release date: the reminder is answered…
    let told = Contact {
        on: "2026-11-24".parse().unwrap(),
        at: None,
        kind: ContactKind::Update,
        method: Medium::Letter,
        direction: Direction::Outbound,
        summary: Some("Wrote about the release date.".into()),
        by: Some("sahmed".into()),
        key_date: Some(KeyDateKind::Crd),
        corrects: None,
        follows: None,
        to: None,
    };
    store.save(
        &mut app,
        &Effect::Save(Command::LogContact {
            victim: "V-0001".into(),
            contact: told,
        }),
    );
    assert!(!crd(&app));
    // …but the letter went in May, before the six months in which it counts.
    keys(&mut app, "tab tab enter");
    let Some(Overlay::Entry(index)) = app.screen.overlays.last().cloned() else {
        panic!("{:?}", app.screen.overlays)
    };
    assert_eq!(
        app.whole_victim().unwrap().contacts[index].on.to_string(),
        "2026-11-24"
    );
    keys(&mut app, "c tab");
    type_text(&mut app, "Logged on the wrong day: the letter went in May.");
    fill(&mut app, "was_on", "2026-05-01");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::LogContact { contact, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        contact
            .corrects
            .as_ref()
            .map(|c| (c.entry, c.kind, c.on.map(|d| d.to_string()))),
        Some((index + 1, None, Some("2026-05-01".to_owned())))
    );
    store.save(&mut app, &effects[0]);
    assert!(
        crd(&app),
        "the corrected day no longer answers the reminder"
    );
    let stored = store.store.victim("V-0001").unwrap().unwrap();
    assert_eq!(
        stored.contacts[index].on.to_string(),
        "2026-11-24",
        "the log is never rewritten"
    );
    // The digest the diary reads agrees.
    let digest = store.store.load_digest().unwrap();
    let at = digest
        .caseload
        .victims
        .iter()
        .position(|v| v.id == "V-0001")
        .unwrap();
    assert_eq!(
        digest.facts[at],
        crate::domain::facts::LogFacts::of(&stored.contacts)
    );
}

/// One rule, the service's: the store's owner (an administrator who is no officer of the
/// unit) gets the workload view, the return and reallocation alike; a VLO gets none of them.
#[test]
fn what_the_screens_offer_follows_the_services_role() {
    use crate::unit::access::Role;
    let mut owner = sample_app();
    owner.settings_mut().officer = "root".into();
    owner.settings_mut().role = Role::Admin;
    keys(&mut owner, "W");
    assert!(
        matches!(owner.screen.overlays.last(), Some(Overlay::Workload(_))),
        "{:?}",
        owner.screen.message
    );
    keys(&mut owner, "esc");
    assert!(matches!(
        keys(&mut owner, "R").as_slice(),
        [Effect::Report(_)]
    ));

    let mut vlo = sample_app();
    vlo.settings_mut().role = Role::Vlo;
    keys(&mut vlo, "W");
    assert!(vlo.screen.overlays.is_empty());
    assert!(
        keys(&mut vlo, "R").is_empty(),
        "no return asked of the store"
    );
    assert_eq!(
        vlo.screen.message.as_deref(),
        Some("The monitoring return is for the unit's managers and administrators.")
    );
}

/// A key date's kind is typed, not stepped through 26 values: "rotl" and Enter.
#[test]
fn a_key_dates_kind_is_found_by_typing_and_picked_with_enter() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter t tab");
    type_text(&mut app, "rotl");
    assert!(form(&app).listing());
    // ↓ and Esc belong to the list while it is open: the form stays, on its field.
    keys(&mut app, "down enter");
    assert!(!form(&app).listing());
    assert_eq!(form(&app).value("kind"), Some("rotl"));
    assert_eq!(form(&app).fields[form(&app).focus].name, "kind");
    type_text(&mut app, "dto");
    keys(&mut app, "esc");
    assert!(matches!(app.screen.overlays.last(), Some(Overlay::Form(_))));
    assert_eq!(form(&app).value("kind"), Some("rotl"), "Esc kept it");
    keys(&mut app, "tab");
    type_text(&mut app, "2027-01-15");
    let effects = keys(&mut app, "ctrl-s");
    store.save(&mut app, &effects[0]);
    assert_eq!(app.screen.message.as_deref(), Some("Case saved."));
    assert!(
        app.whole_case()
            .unwrap()
            .key_dates
            .iter()
            .any(|k| k.kind == KeyDateKind::Rotl && k.date.to_string() == "2027-01-15")
    );
}

/// Giving a victim to another officer is a reallocation: a VLO is told so beside the field
/// before the service is asked; a manager saves it.
#[test]
fn a_vlo_may_not_reallocate_in_the_screens_a_manager_may() {
    use crate::unit::access::Role;
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    app.settings_mut().role = Role::Vlo;
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter enter e");
    let was = form(&app).value("allocated_to").map(str::to_owned);
    fill(&mut app, "allocated_to", "jokafor");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    let f = form(&app);
    assert_eq!(f.fields[f.focus].name, "allocated_to");
    assert!(
        f.fields[f.focus]
            .problem
            .as_deref()
            .unwrap()
            .contains("managers and administrators may reallocate"),
        "{:?}",
        f.fields[f.focus].problem
    );
    // Other changes are a VLO's to make.
    fill(&mut app, "allocated_to", was.as_deref().unwrap_or(""));
    fill(&mut app, "needs.language", "Welsh");
    let effects = keys(&mut app, "ctrl-s");
    assert_eq!(effects.len(), 1, "{:?}", form(&app).problem);
    store.save(&mut app, &effects[0]);
    app.settings_mut().role = Role::Manager;
    keys(&mut app, "e");
    fill(&mut app, "allocated_to", "jokafor");
    let effects = keys(&mut app, "ctrl-s");
    store.save(&mut app, &effects[0]);
    let stored = store.store.victim("V-0001").unwrap().unwrap();
    assert_eq!(stored.allocated_to.as_deref(), Some("jokafor"));
}
