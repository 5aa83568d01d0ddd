//! A VLO's and an administrator's day without friction: dates as the unit writes them,
//! long choices typed into, panes zoomed and scrolled, the administrator's own screens.

use super::*;

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
    assert_eq!(app.date_format, "%d/%m/%Y", "the configuration's default");
    let store = sample_store_for(&mut app);
    keys(&mut app, "/");
    type_text(&mut app, "joan mercer");
    keys(&mut app, "enter a");
    clear(&mut app);
    type_text(&mut app, "32/13/2026");
    assert!(keys(&mut app, "ctrl-s").is_empty());
    assert_eq!(
        form(&app).fields[0].problem.as_deref(),
        Some("invalid date \"32/13/2026\" (write it as 20/08/2027 or 2027-08-20)")
    );
    clear(&mut app);
    type_text(&mut app, "20/11/2026");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::AppendContact { contact, .. }] = effects.as_slice() else {
        panic!("{effects:?} {:?}", form(&app).fields[0].problem)
    };
    assert_eq!(contact.on.to_string(), "2026-11-20");
    store.save(&mut app, &effects[0]);
    assert_eq!(app.message.as_deref(), Some("Contact saved."));

    // A unit that writes dates month first; a snooze's date, and ISO alongside.
    app.date_format = "%m/%d/%Y".into();
    keys(&mut app, "tab");
    assert_eq!(app.focus, Pane::Diary);
    keys(&mut app, "z");
    clear(&mut app);
    type_text(&mut app, "12/24/2026");
    keys(&mut app, "tab");
    type_text(&mut app, "back from leave");
    let effects = keys(&mut app, "ctrl-s");
    let [Effect::Snooze(s)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(s.until.to_string(), "2026-12-24");
}
