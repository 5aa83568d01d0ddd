use super::*;

fn key(s: &str) -> Key {
    Key::parse(s).unwrap()
}

#[test]
fn keys_parse_as_written() {
    assert_eq!(
        key("ctrl-s"),
        Key::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
    );
    assert_eq!(
        key("shift-tab"),
        Key::new(KeyCode::Tab, KeyModifiers::SHIFT)
    );
    assert_eq!(key("backtab"), key("shift-tab"));
    assert_eq!(key("G"), Key::new(KeyCode::Char('G'), KeyModifiers::NONE));
    assert_eq!(key("-"), Key::new(KeyCode::Char('-'), KeyModifiers::NONE));
    assert_eq!(key("f5"), Key::new(KeyCode::F(5), KeyModifiers::NONE));
    assert_eq!(
        key("Space"),
        Key::new(KeyCode::Char(' '), KeyModifiers::NONE)
    );
    assert!(Key::parse("hyper-x").is_err());
    assert!(Key::parse("shift-g").is_err());
    assert!(Key::parse("enterr").is_err());
    assert_eq!(key("ctrl-s").to_string(), "Ctrl-s");
}

#[test]
fn events_map_to_keys_with_shift_folded_into_characters() {
    let shifted_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(Key::from_event(&shifted_g), key("G"));
    let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(Key::from_event(&backtab), key("shift-tab"));
}

#[test]
fn every_shipped_keymap_loads_clean() {
    for (name, text) in BUILTIN {
        let (map, problems) = Keymap::parse(text, name);
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert_eq!(
            map.action(Context::Caseload, key("q")),
            Some(Action::Quit),
            "{name}"
        );
        assert_eq!(
            map.action(Context::Victim, key("r")),
            Some(Action::Reveal),
            "{name}"
        );
    }
}

#[test]
fn the_defaults_the_issue_asks_for_are_there() {
    let map = Keymap::default_keymap();
    for (k, action) in [
        ("q", Action::Quit),
        ("?", Action::Help),
        ("tab", Action::NextPane),
        ("shift-tab", Action::PrevPane),
        ("/", Action::Search),
        ("enter", Action::Open),
        ("esc", Action::Back),
        ("a", Action::LogContact),
        ("up", Action::Up),
        ("j", Action::Down),
    ] {
        assert_eq!(map.action(Context::Caseload, key(k)), Some(action), "{k}");
    }
}

#[test]
fn every_problem_is_reported_with_its_line() {
    let text = "[global]\n\"q\" = \"quit\"\n\"x\" = \"explode\"\n\"hyper-x\" = \"help\"\n\"ctrl-c\" = \"quit\"\n\"c-c\" = \"help\"\n\n[caseload]\n\"q\" = \"help\"\n\n[sidebar]\n\"z\" = \"quit\"\n";
    let (map, problems) = Keymap::parse(text, "mine.toml");
    let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "mine.toml, line 3: unknown action \"explode\" for x",
            "mine.toml, line 4: unknown modifier \"hyper\" in key \"hyper-x\"",
            "mine.toml, line 6: Ctrl-c is bound twice in [global] (also as \"ctrl-c\")",
            "mine.toml, line 9: q in [caseload] shadows the global binding of q",
            "mine.toml, line 11: unknown section [sidebar] (expected one of: global, caseload, diary, contacts, victim, letter, workload, report, form)",
        ]
    );
    // What was good still loads.
    assert_eq!(map.action(Context::Diary, key("q")), Some(Action::Quit));
}

#[test]
fn a_file_that_is_not_toml_names_the_line() {
    let (_, problems) = Keymap::parse("[global]\n\"q\" = \"quit\"\nq = = \n", "bad.toml");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 3);
}

#[test]
fn a_user_file_overrides_key_by_key_and_none_unbinds() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("keymap.toml");
    std::fs::write(&user, "[global]\n\"Q\" = \"quit\"\n\"q\" = \"none\"\n[diary]\n\"s\" = { action = \"snooze\", desc = \"put off\" }\n").unwrap();
    let (map, problems) = load(None, Some(&user));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(map.action(Context::Caseload, key("q")), None);
    assert_eq!(map.action(Context::Caseload, key("Q")), Some(Action::Quit));
    assert_eq!(map.action(Context::Diary, key("s")), Some(Action::Snooze));
    assert_eq!(map.action(Context::Diary, key("z")), Some(Action::Snooze));
    assert_eq!(
        map.action(Context::Caseload, key("a")),
        Some(Action::LogContact)
    );
}

#[test]
fn a_broken_choice_falls_back_to_the_defaults_with_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[global]\n\"q\" = \"qiut\"\n").unwrap();
    let (map, problems) = load(Some(path.to_str().unwrap()), None);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .to_string()
            .contains("broken.toml, line 2: unknown action \"qiut\"")
    );
    assert_eq!(map.action(Context::Caseload, key("q")), Some(Action::Quit));
    let (vim, problems) = load(Some("vim"), None);
    assert!(problems.is_empty());
    assert_eq!(
        vim.action(Context::Caseload, key("G")),
        Some(Action::Bottom)
    );
}

#[test]
fn a_binding_with_unknown_fields_or_the_wrong_shape_is_a_problem() {
    let text = "[global]\n\"q\" = \"quit\"\n\"x\" = { action = \"help\", descr = \"typo\" }\n\"y\" = 3\n\"z\" = { desc = \"no action\" }\n";
    let (map, problems) = Keymap::parse(text, "mine.toml");
    let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got[0].starts_with("mine.toml, line 3: x: unknown field \"descr\" in a binding; a binding is an action name"),
        "{got:?}"
    );
    assert!(
        got[1]
            .starts_with("mine.toml, line 4: y: a binding is an action name (\"quit\") or a table"),
        "{got:?}"
    );
    assert!(!got[1].contains("untagged"), "{got:?}");
    assert!(
        got[2].contains("line 5: z: the binding names no action"),
        "{got:?}"
    );
    assert_eq!(map.action(Context::Global, key("q")), Some(Action::Quit));
}

#[test]
fn a_keymap_that_cannot_quit_is_a_problem() {
    // Laid over the default, unbinding both ways to quit leaves none.
    let text =
        "[caseload]\n\"j\" = \"down\"\n\n[global]\n\"q\" = \"none\"\n\"ctrl-c\" = \"none\"\n";
    let got: Vec<String> = check(text, "mine.toml")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        ["mine.toml, line 4: no key in [global] quits vlu; bind one, for example \"q\" = \"quit\""]
    );
    // Moving quit to another key is fine.
    assert!(
        check(
            "[global]\n\"q\" = \"none\"\n\"ctrl-c\" = \"none\"\n\"Q\" = \"quit\"\n",
            "f"
        )
        .is_empty()
    );
    // As the user's file, it is ignored and the defaults stay.
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("keymap.toml");
    std::fs::write(&user, text).unwrap();
    let (map, problems) = load(None, Some(&user));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(map.action(Context::Caseload, key("q")), Some(Action::Quit));
    // As a chosen keymap of its own, it is refused for the default.
    let own = dir.path().join("own.toml");
    std::fs::write(&own, "[caseload]\n\"j\" = \"down\"\n").unwrap();
    let (map, problems) = load(Some(own.to_str().unwrap()), None);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(map.action(Context::Caseload, key("q")), Some(Action::Quit));
}

#[test]
fn a_keymap_that_does_not_exist_is_named_plainly() {
    let (map, problems) = load(Some("nosuch"), None);
    let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        ["no keymap \"nosuch\": name a built-in (default, vim) or a file that exists"]
    );
    assert_eq!(map.action(Context::Caseload, key("q")), Some(Action::Quit));
}
