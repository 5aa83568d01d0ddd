//! The whole app over a real store: a key script through the real keymap, and what it
//! changed in the store, the audit trail and the diary.

mod common;

use common::Sandbox;
use common::screens::{ANCHOR, app_with, press, type_text};
use serde_json::Value;
use vlu::store::Store;
use vlu::tui::app::App;
use vlu::tui::run::perform;

/// Runs a script, performing each effect on the store as the real loop does. (An app made
/// from a loaded caseload, not from the store's digest, first learns each record's version,
/// as the screens do when they read a record.)
fn run(store: &Store, app: &mut App, script: &str) {
    use vlu::store::Record;
    let mut versions = Vec::new();
    for v in &app.caseload().victims {
        let version = store.stamp(Record::Victim, &v.id).unwrap().version;
        versions.push((Record::Victim, v.id.clone(), version));
    }
    for c in &app.caseload().cases {
        let version = store.stamp(Record::Case, &c.id).unwrap().version;
        versions.push((Record::Case, c.id.clone(), version));
    }
    app.versions_read(versions);
    for effect in press(app, script) {
        perform(store, app, &effect);
    }
}

fn diary_items(s: &Sandbox) -> Vec<Value> {
    let out = s
        .vlu()
        .args(["diary", "--format", "json", "--date", ANCHOR])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    v["items"].as_array().unwrap().clone()
}

fn has(items: &[Value], kind: &str, victim: &str) -> bool {
    items
        .iter()
        .any(|i| i["kind"] == kind && i["victim_id"] == victim)
}

#[test]
fn search_open_log_a_contact_and_the_reminder_is_gone_everywhere() {
    let s = Sandbox::with_sample();
    assert!(has(&diary_items(&s), "key_date", "V-0001"));
    {
        let store = s.store_as("sara");
        let mut app = app_with(store.load().unwrap(), store.snoozes().unwrap(), false);
        run(&store, &mut app, "/");
        type_text(&mut app, "danny reeves");
        run(&store, &mut app, "enter enter r");
        assert!(format!("{:?}", app.screen().overlays).contains("revealed: true"));
        run(&store, &mut app, "a tab tab tab tab tab");
        for _ in 0..=vlu::domain::enums::KeyDateKind::IDS
            .iter()
            .position(|k| *k == "crd")
            .unwrap()
        {
            run(&store, &mut app, "right");
        }
        run(&store, &mut app, "tab");
        type_text(&mut app, "Wrote to Joan: release in December (month only).");
        run(&store, &mut app, "ctrl-s");
        assert_eq!(app.screen().message.as_deref(), Some("Contact saved."));
        assert!(
            app.diary().items.iter().all(
                |i| !(i.reminder.victim_id == "V-0001" && i.reminder.due.to_string() == ANCHOR)
            )
        );
        run(&store, &mut app, "q");
        assert!(app.screen().quit);
        let audit = store.audit().unwrap();
        let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            actions[actions.len() - 2..],
            ["reveal-contact-details", "log-contact"]
        );
        assert!(audit[audit.len() - 2..].iter().all(|a| a.user == "sara"));
    }
    let items = diary_items(&s);
    assert!(!has(&items, "key_date", "V-0001"), "the CLI diary agrees");
    let exported: Value = serde_json::from_str(&s.export()).unwrap();
    let joan = exported["victims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "V-0001")
        .unwrap()
        .clone();
    let last = joan["contacts"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["key_date"], "crd");
    assert_eq!(last["by"], "sahmed");
    assert_eq!(
        last["summary"],
        "Wrote to Joan: release in December (month only)."
    );
}

#[test]
fn opening_a_victim_in_the_screens_is_audited_as_a_consultation() {
    use vlu::tui::app::Overlay;
    let s = Sandbox::with_sample();
    let store = s.store_as("sara");
    let consultations = |store: &Store| -> Vec<(String, String)> {
        store
            .audit()
            .unwrap()
            .into_iter()
            .filter(|a| a.action == "consult-victim")
            .map(|a| (a.subject.unwrap(), a.user))
            .collect()
    };
    let mut app = app_with(store.load().unwrap(), Vec::new(), false);
    run(&store, &mut app, "/");
    type_text(&mut app, "danny reeves");
    run(&store, &mut app, "enter");
    assert!(consultations(&store).is_empty(), "a search opens nothing");
    run(&store, &mut app, "enter");
    assert_eq!(app.screen().overlays, [Overlay::Victim { revealed: false }]);
    assert_eq!(
        consultations(&store),
        [("V-0001".to_owned(), "sara".to_owned())]
    );
    let entry = store.audit().unwrap().pop().unwrap();
    assert!(
        entry.fields.is_empty() && entry.victims.is_empty(),
        "{entry:?}"
    );
    // Leaving and opening it again within the minute is the same consultation.
    run(&store, &mut app, "esc enter");
    assert_eq!(consultations(&store).len(), 1);
    // Opened from the diary: another victim, another consultation.
    run(&store, &mut app, "esc esc tab enter");
    let opened = app.selected_victim().unwrap().id.clone();
    assert_ne!(opened, "V-0001");
    assert_eq!(
        consultations(&store).last().unwrap(),
        &(opened, "sara".to_owned())
    );
    assert_eq!(consultations(&store).len(), 2);
}

#[test]
fn opting_in_from_the_victim_view_reaches_the_store() {
    let s = Sandbox::with_sample();
    assert!(has(&diary_items(&s), "initial_offer", "V-0017"));
    {
        let store = s.store_as("sara");
        let mut app = app_with(store.load().unwrap(), Vec::new(), false);
        run(&store, &mut app, "/");
        type_text(&mut app, "gemma");
        run(&store, &mut app, "enter enter i ctrl-s");
        assert_eq!(app.screen().message.as_deref(), Some("Status saved."));
    }
    let items = diary_items(&s);
    assert!(!has(&items, "initial_offer", "V-0017"));
    assert!(
        s.vlu()
            .arg("check")
            .assert()
            .success()
            .get_output()
            .stdout
            .starts_with(b"The store")
    );
}

#[test]
fn a_snooze_is_stored_and_survives_a_restart() {
    let s = Sandbox::with_sample();
    let first = {
        let store = s.store_as("sara");
        let mut app = app_with(store.load().unwrap(), Vec::new(), false);
        run(&store, &mut app, "tab z tab");
        type_text(&mut app, "Kofi is abroad until December; letter waits.");
        run(&store, &mut app, "ctrl-s");
        assert_eq!(app.screen().message.as_deref(), Some("Reminder snoozed."));
        app.diary().items[0].reminder.clone()
    };
    let store = s.store_as("sara");
    let app = app_with(store.load().unwrap(), store.snoozes().unwrap(), false);
    let snooze = app.snoozed(&first).expect("still snoozed after a restart");
    assert_eq!(
        snooze.reason,
        "Kofi is abroad until December; letter waits."
    );
    assert_eq!(snooze.by, "sahmed");
    assert_eq!(app.counts().0, 16);
    drop(app);
    drop(store);
    let out = s.vlu().args(["diary", "--date", ANCHOR]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains(
            "(snoozed to 1 Dec 2026 by sahmed: Kofi is abroad until December; letter waits.)"
        ),
        "{text}"
    );
}

#[test]
fn the_screens_read_each_log_only_when_it_is_shown() {
    use vlu::tui::app::Setup;
    use vlu::tui::run::load_records;
    let s = Sandbox::with_sample();
    let store = s.store_as("sara");
    let vlu::store::Digest {
        caseload, facts, ..
    } = store.load_digest().unwrap();
    assert!(caseload.victims.iter().all(|v| v.contacts.is_empty()));
    let mut app = App::new(Setup {
        facts: Some(facts),
        ..Setup::new(caseload, common::screens::anchor(), "sahmed")
    });
    // The reminders come from the facts alone: the same counts as with every log loaded.
    assert_eq!(app.counts(), (17, 4, 15));
    assert!(
        app.record_needed().is_some(),
        "the selected victim's log is still in the store"
    );
    load_records(&store, &mut app);
    assert_eq!(app.record_needed(), None);
    // The list keeps the summary; the selected victim's whole record is open beside it.
    assert!(app.selected_victim().unwrap().contacts.is_empty());
    let kofi = app.whole_victim().unwrap();
    assert_eq!(kofi.name, "Kofi Mensah");
    assert_eq!(kofi.contacts.len(), 2);
    // A contact logged for a victim whose log is not loaded yet is not lost or doubled.
    run(&store, &mut app, "down");
    let other = app.selected_victim().unwrap().id.clone();
    let before = store.log(&other).unwrap().len();
    run(&store, &mut app, "a tab tab tab tab tab tab");
    type_text(&mut app, "Left a message.");
    run(&store, &mut app, "ctrl-s");
    load_records(&store, &mut app);
    assert_eq!(app.whole_victim().unwrap().contacts.len(), before + 1);
    assert_eq!(store.log(&other).unwrap().len(), before + 1);
}

#[test]
fn nothing_is_saved_from_the_digest_s_partial_record() {
    use vlu::tui::app::{Overlay, Setup};
    use vlu::tui::run::load_records;
    let s = Sandbox::with_sample();
    let store = s.store_as("sara");
    let vlu::store::Digest {
        caseload, facts, ..
    } = store.load_digest().unwrap();
    let mut app = App::new(Setup {
        facts: Some(facts),
        ..Setup::new(caseload, common::screens::anchor(), "sahmed")
    });
    let id = app.selected_victim().unwrap().id.clone();
    let stored = store.victim(&id).unwrap().unwrap();
    assert!(stored.contact_details.is_some());
    assert_eq!(app.selected_victim().unwrap().contact_details, None);
    let add_sensitive_date = |app: &mut App| {
        run(&store, app, "enter w");
        type_text(app, "2027-03-01");
        run(&store, app, "tab");
        type_text(app, "Anniversary");
        run(&store, app, "ctrl-s");
    };

    // Without the full record (as if the loop had not read it yet): refused, nothing saved.
    add_sensitive_date(&mut app);
    let Some(Overlay::Form(form)) = app.screen().overlays.last() else {
        panic!("the form stays open: {:?}", app.screen().overlays);
    };
    assert!(form.problem.as_deref().unwrap().contains("full record"));
    assert_eq!(store.victim(&id).unwrap().unwrap(), stored);

    // As the loop does before every frame: the full record is read, and the save keeps it.
    run(&store, &mut app, "esc esc");
    load_records(&store, &mut app);
    assert_eq!(
        app.whole_victim().unwrap().contact_details,
        stored.contact_details
    );
    add_sensitive_date(&mut app);
    assert_eq!(app.screen().message.as_deref(), Some("Victim saved."));
    let saved = store.victim(&id).unwrap().unwrap();
    assert_eq!(saved.contact_details, stored.contact_details);
    assert_eq!(saved.needs, stored.needs);
    assert_eq!(
        saved.sensitive_dates.len(),
        stored.sensitive_dates.len() + 1
    );
    assert!(store.check().unwrap().is_empty());
}

/// A clock the test moves.
struct FakeClock(std::sync::Mutex<chrono::DateTime<chrono::Local>>);

impl vlu::tui::clock::Clock for FakeClock {
    fn now(&self) -> chrono::DateTime<chrono::Local> {
        *self.0.lock().unwrap()
    }
}

/// A screen left open over midnight moves to the new day with no key pressed: the header's
/// date, the reminder due that day from "this week" to "today", the selection kept.
#[test]
fn the_screens_move_to_the_new_day_at_midnight_with_no_key_pressed() {
    use chrono::{Local, TimeZone};
    use ratatui::{Terminal, backend::TestBackend};
    use vlu::tui::run::{Wake, event_loop};

    let s = Sandbox::with_sample();
    let store = s.store_as("tester");
    let mut app = app_with(common::screens::sample_caseload(), Vec::new(), false);
    press(&mut app, "down down down");
    let selected = app.selected_victim().unwrap().id.clone();
    let before = app.counts();
    let late = Local
        .with_ymd_and_hms(2026, 11, 24, 23, 59, 58)
        .single()
        .unwrap();
    let clock = FakeClock(std::sync::Mutex::new(late));
    let (tx, rx) = std::sync::mpsc::channel();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let screen = common::screens::text_of;
    std::thread::scope(|scope| {
        let (terminal, store, app, clock) = (&mut terminal, &store, &mut app, &clock);
        let looping = scope.spawn(move || event_loop(terminal, store, app, &rx, clock));
        std::thread::sleep(std::time::Duration::from_millis(200));
        *clock.0.lock().unwrap() = late + chrono::Duration::seconds(3);
        tx.send(Ok(Wake::Tick)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        let quit = vlu::tui::keymap::Key::parse("q").unwrap().to_event();
        tx.send(Ok(Wake::Input(crossterm::event::Event::Key(quit))))
            .unwrap();
        looping.join().unwrap().unwrap();
    });
    let shown = screen(&terminal);
    assert_eq!(app.settings().today.to_string(), "2026-11-25");
    assert!(shown.contains("Wed 25 Nov 2026"), "{shown}");
    let after = app.counts();
    // (overdue, today, this week): yesterday's four are overdue now, and two of this week's
    // are today's.
    assert_eq!(before, (17, 4, 15));
    assert_eq!(
        after.0,
        before.0 + before.1,
        "yesterday's today is overdue now"
    );
    assert_eq!(after.1, 2, "what is due on the new day is today's");
    assert!(shown.contains("21 overdue · 2 today"), "{shown}");
    assert_eq!(
        app.selected_victim().unwrap().id,
        selected,
        "the selection stays put"
    );
}

/// The release re-offer through the store: a trace request makes Lynne Askew's item
/// "tracing" on the screens and in the text diary (the JSON keeps its eight fields), and a
/// letter to her resolves it everywhere.
#[test]
fn a_trace_request_then_a_letter_carry_the_release_re_offer_through_the_store() {
    use vlu::domain::enums::{ContactKind, Direction, KeyDateKind, Medium};
    let s = Sandbox::with_sample();
    let items = diary_items(&s);
    assert!(has(&items, "release_reoffer", "V-0044"));
    let item = items
        .iter()
        .find(|i| i["kind"] == "release_reoffer" && i["victim_id"] == "V-0044")
        .unwrap();
    assert_eq!(item.as_object().unwrap().len(), 8, "{item}");
    assert_eq!(item["key_date"], "crd");
    let contact = |kind, method, direction| vlu::domain::model::Contact {
        kind,
        method,
        direction,
        key_date: Some(KeyDateKind::Crd),
        ..common::note("Asked Northshire Police to trace her: the letters came back.")
    };
    {
        let store = s.store_as("sara");
        store
            .append_contact(
                "V-0044",
                &contact(ContactKind::Agency, Medium::Phone, Direction::Internal),
            )
            .unwrap();
        let app = app_with(store.load().unwrap(), Vec::new(), false);
        let tracing = app
            .diary()
            .items
            .iter()
            .find(|i| i.reminder.victim_id == "V-0044")
            .unwrap();
        assert!(tracing.reminder.action().starts_with("Tracing:"));
    }
    assert!(has(&diary_items(&s), "release_reoffer", "V-0044"));
    let text = s.vlu().args(["diary", "--date", ANCHOR]).assert().success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(
        text.lines()
            .any(|l| l.contains("(V-0044)")
                && l.contains("Tracing: an agency was asked on 24 Nov 2026")),
        "{text}"
    );
    {
        // The police's answer, and a letter to the address they gave, the same day.
        let store = s.store_as("sara");
        let letter = vlu::domain::model::Contact {
            on: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            ..contact(ContactKind::Update, Medium::Letter, Direction::Outbound)
        };
        let answer = vlu::domain::model::Contact {
            on: letter.on,
            ..contact(ContactKind::Agency, Medium::Email, Direction::Internal)
        };
        store.append_contact("V-0044", &answer).unwrap();
        store.append_contact("V-0044", &letter).unwrap();
    }
    assert!(!has(&diary_items(&s), "release_reoffer", "V-0044"));
}
