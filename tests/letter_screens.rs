//! Letters from the screens: the picker and the preview as text snapshots, and the whole
//! way through over a real store — pick, read, save, record — with what it left in the
//! file, the log, the audit trail and the diary.

mod common;

use common::Sandbox;
use common::screens::{ANCHOR, anchor, app_with, press, sample_caseload, type_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vlu::domain::enums::{ContactKind, Direction, LetterKind, Medium, ReminderKind};
use vlu::domain::letter::{LetterInput, LetterRequest, compose};
use vlu::letters::{Templates, render};
use vlu::store::{Record, Store};
use vlu::tui::app::{App, Effect, Outcome, Overlay};
use vlu::tui::draw::draw;
use vlu::tui::run::perform;

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, app)).unwrap();
    format!("{}", terminal.backend())
}

/// The app with a victim's view open, found by name.
fn on_victim(name: &str) -> App {
    let mut app = app_with(sample_caseload(), Vec::new(), false);
    press(&mut app, "/");
    type_text(&mut app, name);
    press(&mut app, "enter enter");
    app
}

fn picked(app: &App) -> (LetterKind, String) {
    match app.screen().overlays.last() {
        Some(Overlay::LetterPicker(p)) => {
            let c = &p.choices[p.selected];
            (c.kind, c.label.clone())
        }
        other => panic!("no picker: {other:?}"),
    }
}

#[test]
fn the_picker_offers_every_kind_and_chooses_the_letter_the_victim_is_due() {
    let mut app = on_victim("joan mercer");
    assert!(press(&mut app, "L").is_empty());
    // Joan is due today to be told of the CRD.
    assert_eq!(
        picked(&app),
        (
            LetterKind::KeyDate,
            "Key date: conditional release date (22 Dec 2026)".into()
        )
    );
    let text = screen(&app, 100, 30);
    for kind in LetterKind::ALL {
        if *kind != LetterKind::KeyDate {
            let label = vlu::domain::text::upper_first(kind.label());
            assert!(text.contains(&label), "{label}:\n{text}");
        }
    }
    insta::assert_snapshot!("letter_picker", text);
    let effects = press(&mut app, "down enter");
    assert!(
        matches!(&effects[..], [Effect::PreviewLetter { victim, request }]
            if victim == "V-0001" && request.kind == LetterKind::KeyDate
                && request.date.to_string() == ANCHOR),
        "{effects:?}"
    );
    press(&mut app, "esc");
    assert!(matches!(
        app.screen().overlays.last(),
        Some(Overlay::Victim { .. })
    ));
}

#[test]
fn a_release_month_victim_is_offered_only_release_dates() {
    let mut app = on_victim("robert marsh");
    press(&mut app, "L");
    let Some(Overlay::LetterPicker(p)) = app.screen().overlays.last() else {
        panic!("no picker");
    };
    let key_dates: Vec<&str> = p
        .choices
        .iter()
        .filter(|c| c.kind == LetterKind::KeyDate)
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(
        key_dates,
        Vec::<&str>::new(),
        "no release date on a life case yet"
    );
    // Robert's VPS offer is due today: it is the one chosen.
    assert_eq!(picked(&app).0, LetterKind::VpsOffer);
}

/// Owen Hart declined the scheme; his views are sought on the unit's first letter. The picker
/// offers what the letters allow him, and nothing else: the complaint's acknowledgement and
/// the request for views.
#[test]
fn one_who_said_no_is_offered_only_what_may_go_to_them() {
    let mut app = on_victim("owen hart");
    press(&mut app, "L");
    let Some(Overlay::LetterPicker(p)) = app.screen().overlays.last() else {
        panic!("no picker");
    };
    let kinds: Vec<LetterKind> = p.choices.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [LetterKind::ComplaintAck, LetterKind::ViewsRequest]);
}

#[test]
fn the_preview_scrolls_and_says_what_to_check_before_sending() {
    let mut app = on_victim("nadia kowalska");
    let caseload = sample_caseload();
    let victim = caseload.victims.iter().find(|v| v.id == "V-0005").unwrap();
    let case = caseload
        .cases
        .iter()
        .find(|c| c.id == victim.case_id)
        .unwrap();
    let input = LetterInput {
        victim,
        case,
        others: &[],
        officer: caseload.officers.iter().find(|o| o.id == "lmcbride"),
        unit: Some("Northshire Victim Liaison Unit"),
    };
    let composed = compose(
        &input,
        &LetterRequest::new(LetterKind::LicenceOutcome, anchor()),
        Some("sahmed"),
    )
    .unwrap();
    let letter = render(
        &Templates::load(None, &vlu::letters::sample::letterhead()).unwrap(),
        &composed,
    )
    .unwrap();
    press(&mut app, "L");
    app.on_outcome(Outcome::LetterPreviewed(Ok(Box::new(letter))));
    let text = screen(&app, 100, 30);
    assert!(
        text.contains("If you would like this letter in Polish"),
        "{text}"
    );
    insta::assert_snapshot!("letter_preview", text);
    press(&mut app, "pagedown pagedown pagedown pagedown");
    let scrolled = screen(&app, 100, 30);
    assert!(scrolled.contains("Yours sincerely"), "{scrolled}");
    assert_ne!(scrolled, text, "it moved");
    // Scrolled as far as it goes, and no further: its last line, not blank space, stands
    // above the bottom of its box.
    let lines: Vec<&str> = scrolled.lines().collect();
    let bottom = lines.iter().rposition(|l| l.contains('└')).unwrap();
    assert!(lines[bottom - 1].contains("────"), "{scrolled}");
}

/// Presses keys one by one, performing each effect on the store as the real loop does
/// before the next key.
fn run(store: &Store, app: &mut App, script: &str) {
    for v in &app.caseload().victims.clone() {
        let version = store.stamp(Record::Victim, &v.id).unwrap().version;
        app.versions_read(vec![(Record::Victim, v.id.clone(), version)]);
    }
    for key in script.split(' ') {
        for effect in press(app, key) {
            perform(store, app, &effect);
        }
    }
}

/// Focuses the diary pane on the item of `kind` for `victim`.
fn to_diary_item(store: &Store, app: &mut App, kind: ReminderKind, victim: &str) {
    let at = app
        .diary()
        .items
        .iter()
        .position(|i| i.reminder.kind == kind && i.reminder.victim_id == victim)
        .unwrap();
    run(store, app, "tab");
    for _ in 0..at {
        run(store, app, "down");
    }
}

/// The last entry of a victim's log is the letter of `kind` sent on the anchor day.
fn assert_last_sent(store: &Store, victim: &str, kind: ContactKind, logged_before: usize) {
    let log = store.log(victim).unwrap();
    assert_eq!(log.len(), logged_before + 1);
    let sent = log.last().unwrap();
    assert_eq!(
        (sent.kind, sent.method, sent.direction, sent.on.to_string()),
        (kind, Medium::Letter, Direction::Outbound, ANCHOR.to_owned())
    );
    assert_eq!(sent.by.as_deref(), Some("sahmed"));
}

#[test]
fn pick_read_save_and_record_from_the_diary_and_the_reminder_is_answered() {
    let s = Sandbox::with_sample();
    let letters = s.root.path().join("letters");
    let log_len;
    {
        let store = s.store_as("sara");
        let mut app = app_with(store.load().unwrap(), Vec::new(), false);
        app.settings_mut().letters.out_dir.clone_from(&letters);
        app.settings_mut().letters.data_dir = Some(s.data_dir());
        log_len = app
            .caseload()
            .victims
            .iter()
            .find(|v| v.id == "V-0009")
            .unwrap()
            .contacts
            .len();
        // The diary's item asking to acknowledge Derek Whitlow's complaint.
        to_diary_item(&store, &mut app, ReminderKind::ComplaintAck, "V-0009");
        run(&store, &mut app, "L");
        assert_eq!(picked(&app).0, LetterKind::ComplaintAck);
        run(&store, &mut app, "enter");
        let Some(Overlay::Letter(view)) = app.screen().overlays.last() else {
            panic!(
                "no preview: {:?} {:?}",
                app.screen().message,
                app.screen().overlays.last()
            );
        };
        assert!(
            view.letter
                .text
                .contains("which we received on 6 November 2026")
        );
        assert!(
            view.letter
                .text
                .starts_with("Northshire Victim Liaison Unit\nPO Box 4120\nNorthtown NT1 4ZZ\nTelephone: 0113 496 0458\nEmail: victim.liaison@northshire-probation.example\n\nDerek Whitlow\n2 Quarry Cottages")
        );
        // Save: the form proposes a file in the letters folder, named by id, kind and date.
        run(&store, &mut app, "s");
        let Some(Overlay::Form(form)) = app.screen().overlays.last() else {
            panic!("no save form");
        };
        let proposed = letters.join(format!("V-0009-complaint_ack-{ANCHOR}.txt"));
        assert_eq!(
            form.value("path"),
            Some(proposed.display().to_string().as_str())
        );
        run(&store, &mut app, "tab right ctrl-s");
        let docx = proposed.with_extension("docx");
        assert!(docx.is_file(), "{:?}", app.screen().message);
        assert!(
            app.screen()
                .message
                .as_deref()
                .unwrap()
                .starts_with("Saved to")
        );
        let screen_text = screen(&app, 100, 30);
        assert!(
            screen_text.contains("Record it in the contact log"),
            "{screen_text}"
        );
        // Confirm: recorded through the store as an outbound letter.
        run(&store, &mut app, "s");
        assert!(
            app.screen()
                .message
                .as_deref()
                .unwrap()
                .starts_with("Recorded in the contact log"),
            "{:?}",
            app.screen().message
        );
        assert!(matches!(
            app.screen().overlays.last(),
            Some(Overlay::Victim { .. })
        ));
        assert!(
            app.diary()
                .items
                .iter()
                .all(|i| !(i.reminder.kind == ReminderKind::ComplaintAck
                    && i.reminder.victim_id == "V-0009")),
            "the reminder it answers is gone"
        );
        assert_disclosed_then_logged(&store.audit().unwrap());
    }
    assert_last_sent(&s.store(), "V-0009", ContactKind::ComplaintAck, log_len);
}

#[test]
fn a_letter_is_not_saved_into_the_data_directory_and_the_form_stays() {
    let s = Sandbox::with_sample();
    let store = s.store_as("sara");
    let mut app = app_with(store.load().unwrap(), Vec::new(), false);
    app.settings_mut().letters.out_dir = s.data_dir();
    app.settings_mut().letters.data_dir = Some(s.data_dir());
    run(&store, &mut app, "/");
    type_text(&mut app, "gemma lowe");
    run(&store, &mut app, "enter enter L enter s ctrl-s");
    assert!(
        matches!(app.screen().overlays.last(), Some(Overlay::Form(f)) if f.problem.as_deref().is_some_and(|p| p.contains("data directory"))),
        "{:?}",
        app.screen().overlays.last()
    );
    assert!(
        !s.data_dir()
            .join(format!("V-0017-initial_offer-{ANCHOR}.txt"))
            .exists()
    );
}

#[test]
fn broken_templates_are_shown_and_no_letter_is_made() {
    let mut app = on_victim("joan mercer");
    app.settings_mut().letters.templates = Err(vec![
        "letters/initial_offer.txt, line 3: unknown field \"recipient.nmae\"".into(),
    ]);
    press(&mut app, "L");
    let Some(Overlay::Notice(lines)) = app.screen().overlays.last() else {
        panic!("no notice");
    };
    assert!(lines.iter().any(|l| l.contains("recipient.nmae")));
}

#[test]
fn a_refused_letter_says_why_in_the_status_line() {
    let mut app = on_victim("joan mercer");
    press(&mut app, "L");
    app.on_outcome(Outcome::LetterPreviewed(Err(
        "the letter for V-0001 would be addressed to the offender".into(),
    )));
    assert!(matches!(
        app.screen().overlays.last(),
        Some(Overlay::LetterPicker(_))
    ));
    assert!(screen(&app, 100, 30).contains("No letter: the letter for V-0001 would be addressed"));
}

/// Each letter shown or saved was a disclosure of that victim's data, then came the log.
fn assert_disclosed_then_logged(audit: &[vlu::store::AuditRecord]) {
    let tail: Vec<(String, Option<String>, Vec<String>)> = audit[audit.len() - 3..]
        .iter()
        .map(|a| {
            let said = if a.action == "disclose" {
                a.fields.clone()
            } else {
                Vec::new()
            };
            (a.action.clone(), a.subject.clone(), said)
        })
        .collect();
    assert_eq!(
        tail,
        [
            (
                "disclose".into(),
                None,
                vec!["letter preview complaint_ack".to_owned()]
            ),
            (
                "disclose".into(),
                None,
                vec!["letter complaint_ack saved".to_owned()]
            ),
            ("log-contact".into(), Some("V-0009".into()), Vec::new()),
        ]
    );
    assert!(
        audit[audit.len() - 3..audit.len() - 1]
            .iter()
            .all(|a| a.victims == ["V-0009"])
    );
}
