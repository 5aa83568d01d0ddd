//! A victim taken from referral to closure entirely in the screens, over a real store: at
//! every step the diary worked out from the store — as `vlu diary` works it out, from the
//! digest — names the work still to do, and the screens' diary agrees.

use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::reminders::{DiaryQuery, Rules, diary_from_facts};
use crate::domain::rules::LeadTimes;

/// Presses keys as the loop does: every change the screens ask for is saved through the
/// store, and the screens read back what it holds.
fn act(app: &mut App, store: &SampleStore, script: &str) {
    for effect in keys(app, script) {
        store.save(app, &effect);
    }
}

/// Fills a form's fields by name and saves it through the store.
fn submit(app: &mut App, store: &SampleStore, fields: &[(&str, &str)]) {
    for (name, value) in fields {
        fill(app, name, value);
    }
    act(app, store, "ctrl-s");
    assert!(
        !matches!(app.screen.overlays.last(), Some(Overlay::Form(_))),
        "the form saved: {:?}",
        app.screen.overlays.last()
    );
}

/// The reminders of one victim on the sample's day, over ten years: from the store's digest,
/// as `vlu diary` has them, checked against what the screens show.
fn work(app: &App, store: &SampleStore, victim: &str) -> Vec<ReminderKind> {
    let digest = store.store.load_digest().unwrap();
    let calendar = Calendar::new(digest.caseload.extra_non_working_days.iter().copied());
    let lead = LeadTimes::default();
    let query = DiaryQuery {
        date: app.settings().today,
        days: 3650,
        officer: None,
    };
    let rules = Rules {
        calendar: &calendar,
        lead: &lead,
    };
    let mut kinds: Vec<ReminderKind> = diary_from_facts(digest.joined(), &query, rules)
        .into_iter()
        .filter(|i| i.reminder.victim_id == victim)
        .map(|i| i.reminder.kind)
        .collect();
    kinds.sort();
    let mut shown: Vec<ReminderKind> = app
        .open_reminders(app.victim_by_id(victim).unwrap())
        .into_iter()
        .map(|r| r.kind)
        .collect();
    shown.sort();
    assert_eq!(kinds, shown, "the screens and the store's diary agree");
    kinds
}

/// Logs a contact through the log-a-contact form.
fn log(app: &mut App, store: &SampleStore, on: &str, kind: &str, method: &str, key_date: &str) {
    keys(app, "a");
    submit(
        app,
        store,
        &[
            ("on", on),
            ("kind", kind),
            ("method", method),
            ("direction", "outbound"),
            ("key_date", key_date),
            ("summary", "As recorded."),
        ],
    );
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one victim's whole path, step after step, is the point of the test"
)]
fn a_victim_from_referral_to_closure_entirely_in_the_screens() {
    use ReminderKind as R;
    let mut app = sample_app();
    let store = sample_store_for(&mut app);

    // Referral: a new case, then its victim (the store gives both ids).
    keys(&mut app, "N");
    submit(
        &mut app,
        &store,
        &[
            ("name", "Gareth Pike"),
            ("description", "Wounding with intent"),
            ("imposed_on", "2026-10-20"),
        ],
    );
    let case = app
        .screen
        .message
        .clone()
        .unwrap()
        .replace("Case ", "")
        .replace(" added.", "");
    keys(&mut app, "n");
    submit(
        &mut app,
        &store,
        &[
            ("case_id", case.as_str()),
            ("name", "Megan Rhys"),
            ("referred_on", "2026-11-02"),
            ("allocated_to", "sahmed"),
        ],
    );
    let victim = app.selected_victim().unwrap().id.clone();
    assert_eq!(work(&app, &store, &victim), [R::InitialOffer]);

    // The offer, then the second: the status follows, and so does the diary.
    log(
        &mut app,
        &store,
        "2026-11-03",
        "initial_offer",
        "letter",
        "",
    );
    assert_eq!(app.whole_victim().unwrap().status, VictimStatus::OfferSent);
    assert_eq!(work(&app, &store, &victim), [R::SecondOffer]);
    log(&mut app, &store, "2026-11-10", "second_offer", "letter", "");
    assert!(work(&app, &store, &victim).is_empty());

    // She opts in, for every key stage, calls confirmed in writing.
    act(&mut app, &store, "enter i");
    submit(
        &mut app,
        &store,
        &[
            ("status_since", "2026-11-12"),
            ("information", "key_stages"),
            ("method", "phone"),
        ],
    );
    act(&mut app, &store, "e");
    submit(
        &mut app,
        &store,
        &[("preferences.written_follow_up", "yes")],
    );
    assert_eq!(work(&app, &store, &victim), [R::AnnualLetter]);

    // The release date, and a parole hearing.
    keys(&mut app, "t");
    submit(&mut app, &store, &[("kind", "crd"), ("date", "2027-06-01")]);
    keys(&mut app, "t");
    submit(
        &mut app,
        &store,
        &[("kind", "parole_hearing"), ("date", "2027-03-01")],
    );
    assert_eq!(
        work(&app, &store, &victim),
        [
            R::AnnualLetter,
            R::KeyDate,
            R::KeyDate,
            R::VpsOffer,
            R::LicenceConditions
        ]
    );

    // A call, and its written follow-up.
    log(&mut app, &store, "2026-11-24", "update", "phone", "");
    assert!(work(&app, &store, &victim).contains(&R::WrittenFollowUp));
    log(
        &mut app,
        &store,
        "2026-11-24",
        "written_follow_up",
        "letter",
        "",
    );
    assert!(!work(&app, &store, &victim).contains(&R::WrittenFollowUp));

    // Licence conditions asked about; the request made, decided, and the outcome told.
    log(
        &mut app,
        &store,
        "2026-11-20",
        "licence_conditions",
        "letter",
        "",
    );
    assert!(!work(&app, &store, &victim).contains(&R::LicenceConditions));
    keys(&mut app, "v");
    submit(
        &mut app,
        &store,
        &[
            ("licence_requests[0].condition", "exclusion_zone"),
            ("licence_requests[0].requested_on", "2026-11-20"),
            ("licence_requests[0].outcome", "granted"),
            ("licence_requests[0].outcome_on", "2026-11-24"),
        ],
    );
    assert!(work(&app, &store, &victim).contains(&R::LicenceOutcome));
    log(
        &mut app,
        &store,
        "2026-11-24",
        "licence_conditions",
        "letter",
        "",
    );
    assert!(!work(&app, &store, &victim).contains(&R::LicenceOutcome));

    // A victim personal statement offered for the hearing.
    log(
        &mut app,
        &store,
        "2026-11-24",
        "vps",
        "letter",
        "parole_hearing",
    );
    assert!(!work(&app, &store, &victim).contains(&R::VpsOffer));

    // A complaint received, acknowledged and answered.
    keys(&mut app, "v");
    submit(
        &mut app,
        &store,
        &[("complaints[0].received_on", "2026-11-24")],
    );
    let open = work(&app, &store, &victim);
    assert!(
        open.contains(&R::ComplaintAck) && open.contains(&R::ComplaintAnswer),
        "{open:?}"
    );
    log(
        &mut app,
        &store,
        "2026-11-24",
        "complaint_ack",
        "letter",
        "",
    );
    keys(&mut app, "v");
    submit(
        &mut app,
        &store,
        &[
            ("complaints[0].answered_on", "2026-11-24"),
            ("complaints[0].outcome", "upheld"),
        ],
    );
    let open = work(&app, &store, &victim);
    assert!(
        !open.contains(&R::ComplaintAck) && !open.contains(&R::ComplaintAnswer),
        "{open:?}"
    );

    // Reallocated to another VLO: the diary names her now.
    act(&mut app, &store, "e");
    submit(&mut app, &store, &[("allocated_to", "jokafor")]);
    let stored = store.store.victim(&victim).unwrap().unwrap();
    assert_eq!(stored.allocated_to.as_deref(), Some("jokafor"));

    // Closure: the case closed, with her; nothing left to do.
    keys(&mut app, "x");
    submit(
        &mut app,
        &store,
        &[("reason", "Sentence expired; contact ended as agreed.")],
    );
    assert!(work(&app, &store, &victim).is_empty());
    let stored = store.store.victim(&victim).unwrap().unwrap();
    assert_eq!(stored.status, VictimStatus::Closed);
    assert!(
        store.store.check().unwrap().is_empty(),
        "the store is sound"
    );
}
