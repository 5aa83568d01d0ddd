//! A VLO's and an administrator's day in the real binary at 80×24: the keys overlay
//! scrolled to its end, the diary zoomed, a key date's kind typed and its date written as
//! the unit writes dates, then an erasure by the store's owner (an administrator).

use super::*;

#[test]
fn a_day_without_friction_at_80x24() {
    let s = Sandbox::with_sample();
    s.sign_in_as("sahmed");
    let command = vlu_in(&s, "NO_COLOR=", "echo EXITED $?; sleep 60");
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    tmux.cmd(&["resize-window", "-t", "t", "-x", "80", "-y", "24"]);
    tmux.wait_for("Caseload");

    // The keys overlay is longer than 24 lines: it scrolls to its last.
    tmux.keys(&["?"]);
    tmux.wait_for(" Keys ");
    tmux.keys(&["PageDown", "PageDown", "PageDown", "PageDown"]);
    tmux.wait_for("any other key closes this");
    tmux.keys(&["Escape"]);

    // The diary takes the whole screen, and gives it back.
    tmux.keys(&["Tab", "Z"]);
    let zoomed = tmux.wait_for("Z: all panes");
    assert!(!zoomed.contains("Contact log"), "{zoomed}");
    tmux.keys(&["Z"]);
    tmux.wait_for("Contact log");

    // ROTL typed, not 11 presses of →; the date as the unit writes it.
    tmux.keys(&["/"]);
    tmux.text("joan mercer");
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_for("Contact details: address");
    tmux.keys(&["t"]);
    tmux.wait_for("Add or change a key date");
    tmux.keys(&["Tab"]);
    tmux.text("rotl");
    tmux.wait_for("release on temporary licence");
    tmux.keys(&["Enter", "Tab"]);
    tmux.text("20/08/2027");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Case saved.");

    // The store's owner is an administrator: erase, with a reason and the id typed back.
    tmux.keys(&["X"]);
    tmux.wait_for("Erase for good");
    tmux.keys(&["Tab", "Right", "Tab"]);
    tmux.text("V-0001");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Erased 1 victim");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED 0");
    drop(tmux);

    let store = s.store();
    assert!(store.victim("V-0001").unwrap().is_none(), "erased");
    let case = store.case("C-2024-031").unwrap().unwrap();
    assert!(
        case.key_dates
            .iter()
            .any(|k| k.kind == vlu::domain::enums::KeyDateKind::Rotl
                && k.date.to_string() == "2027-08-20"),
        "{:?}",
        case.key_dates
    );
    let erasures = store
        .audit()
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "erase")
        .count();
    assert_eq!(erasures, 1);
}
