//! A VLO's and an administrator's day without friction: dates as the unit writes them,
//! long choices typed into, panes zoomed and scrolled, the administrator's own screens.

use super::*;
use crate::tui::app::AdminView;
use crate::unit::command::Command;

fn clear(app: &mut App) {
    for _ in 0..12 {
        keys(app, "backspace");
    }
}

/// A contact logged on 20/11/2026, as the unit writes dates (`date_format`), is saved as
/// 2026-11-20; ISO is still taken; a date written neither way says both ways.
#[test]
fn a_form_takes_the_units_date_format_as_well_as_iso() {
    let mut app = sample_app();
    assert_eq!(
        app.settings().date_format,
        "%d/%m/%Y",
        "the configuration's default"
    );
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter a");
    clear(&mut app);
    type_text(&mut app, "32/13/2026");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    assert_eq!(
        form(&app).fields[0].problem.as_deref(),
        Some("invalid date \"32/13/2026\" (expected 20/08/2027 or 2027-08-20)")
    );
    clear(&mut app);
    type_text(&mut app, "20/11/2026");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::LogContact { contact, .. })] = effects.as_slice() else {
        panic!("{effects:?} {:?}", form(&app).fields[0].problem)
    };
    assert_eq!(contact.on.to_string(), "2026-11-20");
    store.save(&mut app, &effects[0]);
    assert_eq!(app.screen.message.as_deref(), Some("Contact saved."));

    // A unit that writes dates month first; a snooze's date, and ISO alongside.
    app.settings_mut().date_format = "%m/%d/%Y".into();
    keys(&mut app, "tab");
    assert_eq!(app.screen.focus, Pane::Diary);
    keys(&mut app, "z");
    clear(&mut app);
    type_text(&mut app, "12/24/2026");
    keys(&mut app, "tab");
    type_text(&mut app, "back from leave");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Save(Command::Snooze(s))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(s.until.to_string(), "2026-12-24");
}

/// Presses keys, saving each effect through the store as the loop does.
fn act(app: &mut App, store: &SampleStore, script: &str) {
    for key in script.split(' ') {
        for effect in keys(app, key) {
            store.save(app, &effect);
        }
    }
}

fn open_joan(app: &mut App, store: &SampleStore) {
    act(app, store, "/");
    type_text(app, "joan mercer");
    act(app, store, "enter enter");
    assert_eq!(app.screen.overlays, [Overlay::Victim { revealed: false }]);
}

/// The screen as text, drawn at `width`×`height`.
fn drawn(app: &App, width: u16, height: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    t.draw(|f| crate::tui::draw::draw(f, app)).unwrap();
    let buffer = t.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An administrator erases from the screens as `vlu erase` does: the reason, then the id
/// typed back; the store erases it and the screens read the caseload again.
#[test]
fn an_administrator_erases_a_victim_with_a_reason_and_the_id_typed_back() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    open_joan(&mut app, &store);
    act(&mut app, &store, "X");
    assert_eq!(form(&app).title, "Erase for good — it cannot be undone");
    assert_eq!(form(&app).value("what"), Some("victim"));
    // Retention: no rule makes her due (the sample unit configures none).
    act(&mut app, &store, "ctrl-s");
    let f = form(&app);
    assert!(
        f.fields[1].problem.as_deref().unwrap().contains("not due"),
        "{:?}",
        f.fields[1].problem
    );
    assert!(
        f.fields[2]
            .problem
            .as_deref()
            .unwrap()
            .contains("type V-0001")
    );
    // The person asked; a wrong id typed back still erases nothing.
    assert_eq!(form(&app).fields[form(&app).focus].name, "reason");
    keys(&mut app, "right tab");
    assert_eq!(form(&app).value("reason"), Some("request"));
    type_text(&mut app, "V-0002");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    assert!(store.store.victim("V-0001").unwrap().is_some());
    for _ in 0..6 {
        keys(&mut app, "backspace");
    }
    type_text(&mut app, "V-0001");
    let effects = keys(&mut app, "ctrl-s");
    assert_eq!(
        effects,
        [Effect::Erase {
            target: crate::domain::retention::Target::Victim("V-0001".into()),
            reason: crate::domain::retention::Reason::Request,
        }]
    );
    let before = app.caseload().victims.len();
    store.save(&mut app, &effects[0]);
    assert!(store.store.victim("V-0001").unwrap().is_none(), "erased");
    assert_eq!(app.caseload().victims.len(), before - 1, "read again");
    assert!(app.victim_by_id("V-0001").is_none());
    assert!(app.screen.overlays.is_empty(), "{:?}", app.screen.overlays);
    assert!(
        app.screen
            .message
            .as_deref()
            .unwrap()
            .starts_with("Erased 1 victim"),
        "{:?}",
        app.screen.message
    );
    let audit = store.store.audit().unwrap();
    assert!(audit.iter().any(|r| r.action == "erase"));
}

/// Subject access and the audit trail, read through the store: the access is recorded;
/// the victim's contact details stay masked on the screen.
#[test]
fn an_administrator_reads_a_subject_access_and_the_audit_trail() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    open_joan(&mut app, &store);
    act(&mut app, &store, "S");
    let Some(Overlay::Admin(view)) = app.screen.overlays.last() else {
        panic!("{:?} {:?}", app.screen.overlays, app.screen.message)
    };
    assert!(matches!(**view, AdminView::SubjectAccess(_)));
    let screen = drawn(&app, 120, 40);
    assert!(
        screen.contains("Subject access — Joan Mercer (V-0001)"),
        "{screen}"
    );
    let joan = store.store.victim("V-0001").unwrap().unwrap();
    let phone = joan.contact_details.unwrap().phone.unwrap();
    assert!(!screen.contains(&phone), "contact details are masked");
    let disclosed = store.store.audit().unwrap();
    assert!(
        disclosed.iter().any(
            |r| r.action == "disclose" && r.fields.iter().any(|f| f.contains("subject access"))
        ),
        "{:?}",
        disclosed.last()
    );
    // It scrolls, and stops at its last line.
    for _ in 0..200 {
        keys(&mut app, "down");
    }
    let area = ratatui::layout::Rect::new(0, 0, 120, 40);
    app.clamp_scroll(crate::tui::draw::scroll_limit(&app, area));
    let limit = app.screen.overlay_scroll;
    assert!(limit > 0 && limit < 200, "{limit}");
    keys(&mut app, "up");
    assert_eq!(
        app.screen.overlay_scroll,
        limit - 1,
        "one key back up moves it"
    );

    // The audit trail about her, from her record; the whole unit's from the panes.
    act(&mut app, &store, "esc A");
    let Some(Overlay::Admin(view)) = app.screen.overlays.last() else {
        panic!("{:?}", app.screen.message)
    };
    let AdminView::Audit { about, entries } = &**view else {
        panic!()
    };
    assert_eq!(about.as_deref(), Some("V-0001"));
    assert!(entries.iter().any(|e| e.record.action == "disclose"));
    assert!(drawn(&app, 120, 40).contains("Audit trail — about V-0001"));
    act(&mut app, &store, "esc esc A");
    assert!(drawn(&app, 120, 40).contains("Audit trail — the last 31 days"));
}

/// A VLO is offered none of it: the keys do nothing the store is asked, and neither the
/// footer nor the keys overlay lists them.
#[test]
fn a_vlo_is_not_offered_the_administrators_keys() {
    use crate::unit::access::Role;
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    app.settings_mut().role = Role::Vlo;
    open_joan(&mut app, &store);
    for key in ["X", "S", "A"] {
        assert!(keys(&mut app, key).is_empty(), "{key}");
        assert_eq!(
            app.screen.overlays,
            [Overlay::Victim { revealed: false }],
            "{key}"
        );
        assert_eq!(
            app.screen.message.as_deref(),
            Some("That is for the unit's administrators (you are a VLO).")
        );
    }
    let footer = drawn(&app, 400, 30);
    assert!(!footer.contains("erase"), "{footer}");
    keys(&mut app, "?");
    let help = drawn(&app, 200, 60);
    for words in [
        "erase",
        "subject access",
        "audit trail",
        "workload",
        "monitoring",
    ] {
        assert!(!help.contains(words), "{words} offered to a VLO:\n{help}");
    }
    app.settings_mut().role = Role::Admin;
    let help = drawn(&app, 200, 60);
    for words in [
        "erase",
        "subject access",
        "audit trail",
        "workload",
        "monitoring",
    ] {
        assert!(
            help.contains(words),
            "{words} not offered to an administrator"
        );
    }
}

/// The opt-in form asks how the victim told us; a call is logged as a call (and its
/// written confirmation falls due), not as "none".
#[test]
fn an_opt_in_is_logged_with_how_the_victim_told_us() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    act(&mut app, &store, "/");
    type_text(&mut app, "gemma lowe");
    act(&mut app, &store, "enter enter i");
    assert_eq!(form(&app).value("told_by"), Some("letter"));
    let at = form(&app)
        .fields
        .iter()
        .position(|f| f.name == "told_by")
        .unwrap();
    for _ in 0..at {
        keys(&mut app, "tab");
    }
    keys(&mut app, "right");
    let effects = keys(&mut app, "ctrl-s");
    let [
        Effect::Save(Command::SaveVictim {
            contact: Some(contact),
            ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?} {:?}", form(&app))
    };
    assert_eq!(contact.method, crate::domain::enums::Medium::Phone);
}

/// A new victim's case is the selected victim's to begin with, shown with its offender,
/// and changed by typing part of another's id or offender.
#[test]
fn a_new_victims_case_is_shown_and_can_be_changed() {
    let mut app = sample_app();
    let joan_case = app.selected_victim().unwrap().case_id.clone();
    keys(&mut app, "n");
    let f = form(&app);
    assert_eq!(f.value("case_id"), Some(joan_case.as_str()));
    let case = &f.fields[1];
    assert!(
        case.shown().starts_with(&format!("{joan_case} · ")),
        "{}",
        case.shown()
    );
    keys(&mut app, "tab");
    type_text(&mut app, "hammond");
    keys(&mut app, "enter");
    assert_eq!(form(&app).value("case_id"), Some("C-2020-052"));
}

/// The keys overlay scrolls at 80×24 to its last line, and stops there.
#[test]
fn the_keys_overlay_scrolls_at_80x24() {
    let mut app = sample_app();
    keys(&mut app, "?");
    let last = "↑/↓ scroll · any other key closes this.";
    assert!(!drawn(&app, 80, 24).contains(last), "cut off at first");
    for _ in 0..100 {
        keys(&mut app, "down");
    }
    assert!(matches!(app.screen.overlays.last(), Some(Overlay::Help)));
    assert!(drawn(&app, 80, 24).contains(last));
    app.clamp_scroll(crate::tui::draw::scroll_limit(
        &app,
        ratatui::layout::Rect::new(0, 0, 80, 24),
    ));
    assert!(
        app.screen.overlay_scroll < 20,
        "{}",
        app.screen.overlay_scroll
    );
    keys(&mut app, "enter");
    assert!(app.screen.overlays.is_empty(), "any other key closes it");
}

/// The victim view stops at its last line: no blank box below it.
#[test]
fn the_victim_view_stops_at_its_last_line() {
    let mut app = sample_app();
    let store = sample_store_for(&mut app);
    open_joan(&mut app, &store);
    for _ in 0..300 {
        keys(&mut app, "down");
    }
    let screen = drawn(&app, 120, 40);
    let inner: Vec<&str> = screen.lines().skip(2).take(36).collect();
    let blank = inner
        .iter()
        .filter(|l| l.trim_matches(|c: char| c == '│' || c == ' ').is_empty())
        .count();
    assert!(blank < 30, "{blank} blank lines:\n{screen}");
}

/// Someone who is no officer of the unit (the store's owner) is said so, however narrow.
#[test]
fn the_owner_is_called_not_an_officer_of_this_unit() {
    let mut app = sample_app();
    app.settings_mut().officer = "root".into();
    for width in [120, 80, 60] {
        let screen = drawn(&app, width, 24);
        assert!(
            screen
                .lines()
                .next()
                .unwrap()
                .contains("root (not an officer"),
            "{width}: {}",
            screen.lines().next().unwrap()
        );
    }
    keys(&mut app, "m");
    assert_eq!(
        app.screen.message.as_deref(),
        Some("root is not an officer of this unit: no victims are theirs.")
    );
}

/// While the unit's records cannot be reached the footer says so, under any passing
/// message, until everything has been read again.
#[test]
fn a_screen_cut_off_says_so_until_everything_is_read_again() {
    let mut app = sample_app();
    let store = sample_store();
    let lost = crate::service::server::DATABASE_LOST;
    app.cut_off(lost.into());
    let footer = |app: &App| drawn(app, 100, 24).lines().last().unwrap().to_owned();
    assert!(
        footer(&app).contains("database cannot be reached"),
        "{}",
        footer(&app)
    );
    // Another word shows until the next key; the notice comes back after it.
    app.say("Victim V-0001 added.".into());
    assert!(footer(&app).contains("V-0001 added"), "{}", footer(&app));
    keys(&mut app, "down");
    assert!(footer(&app).contains("reconnecting…"), "{}", footer(&app));
    let digest = crate::unit::api::UnitStore::load_digest(&store.store).unwrap();
    app.on_outcome(Outcome::Reloaded {
        digest: Box::new(digest),
        snoozes: Vec::new(),
    });
    assert_eq!(
        app.screen.message.as_deref(),
        Some("Reconnected: everything was read again.")
    );
    keys(&mut app, "down");
    assert!(!footer(&app).contains("reconnecting"), "{}", footer(&app));
}
