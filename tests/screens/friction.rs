//! A day without friction, as drawn: a zoomed pane, a diary that scrolls through every
//! item, overlays that stop at their last line, the keys overlay at 80×24.

use super::*;

use common::screens::text_of;

/// `Z` gives the focused pane the whole screen, and gives the three back.
#[test]
fn the_diary_zoomed_at_80x24() {
    let mut app = sample();
    press(&mut app, "tab Z");
    assert!(app.screen().zoomed);
    let shown = render(&app, 80, 24);
    insta::assert_snapshot!(shown.backend());
    let text = text_of(&shown);
    assert!(!text.contains("Caseload"), "the tabs give way to the pane");
    assert!(text.contains("Z: all panes"));
    press(&mut app, "Z");
    assert!(
        !render(&app, 80, 24)
            .backend()
            .to_string()
            .contains("all panes")
    );
}

/// The selection moves through every item of a long group, and the view follows it: the
/// selected line is always drawn, and the lines above it are counted.
#[test]
fn the_diary_scrolls_through_every_overdue_item() {
    let mut app = sample();
    press(&mut app, "tab");
    let overdue = app
        .diary()
        .items
        .iter()
        .filter(|i| i.status == vlu::domain::enums::DiaryStatus::Overdue)
        .count();
    assert!(overdue > 10, "{overdue}");
    for step in 0..app.diary().items.len() {
        assert_eq!(app.diary().selected, step);
        let t = render(&app, 80, 24);
        let buffer = t.backend().buffer();
        // The selected line is drawn reversed in the list (above its two detail lines).
        let reversed = (2..buffer.area.height - 4).any(|y| {
            (1..buffer.area.width - 1).any(|x| buffer[(x, y)].modifier.contains(Modifier::REVERSED))
        });
        assert!(reversed, "item {step} is not on screen:\n{}", text_of(&t));
        press(&mut app, "down");
    }
    assert_eq!(
        app.diary().selected,
        app.diary().items.len() - 1,
        "held at the last"
    );
    press(&mut app, "home");
    for _ in 0..overdue - 1 {
        press(&mut app, "down");
    }
    assert!(
        text_of(&render(&app, 80, 24)).contains("more above"),
        "the items passed are counted"
    );
}
