//! The command line's own edges: clap's whole message on a usage error, global options
//! apart, `--keymap` only for the screens, an example in every option's help, shell
//! completions, manual pages, `vlu config`, and the working-day calendar's changes from the
//! configuration (a GOV.UK bank-holidays file, days worked).

mod common;

use std::path::Path;

use clap::CommandFactory;
use common::{Sandbox, sample_path};
use serde_json::json;

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn a_usage_error_is_clap_s_whole_message() {
    let s = Sandbox::new();
    let out = s.vlu().arg("import").assert().code(2);
    let err = stderr(&out);
    assert!(
        err.starts_with("vlu: the following required arguments were not provided:\n"),
        "{err}"
    );
    assert!(
        err.contains("<FILE>"),
        "the missing argument is named: {err}"
    );
    assert!(err.contains("Usage: vlu import"), "{err}");
    let out = s.vlu().arg("dairy").assert().code(2);
    let err = stderr(&out);
    assert!(
        err.starts_with("vlu: unrecognized subcommand 'dairy'"),
        "{err}"
    );
    assert!(
        err.contains("a similar subcommand exists: 'diary'"),
        "clap's suggestion is kept: {err}"
    );
}

#[test]
fn global_options_have_their_own_heading_and_keymap_is_only_for_the_screens() {
    let s = Sandbox::new();
    let help = stdout(&s.vlu().args(["diary", "--help"]).assert().success());
    let (own, global) = help.split_once("Global options:").expect(&help);
    assert!(
        own.contains("--officer") && !own.contains("--data-dir"),
        "{help}"
    );
    assert!(
        global.contains("--data-dir") && global.contains("--config"),
        "{help}"
    );
    assert!(!help.contains("--keymap"), "{help}");
    for screens in [vec!["--help"], vec!["demo", "--help"]] {
        let help = stdout(&s.vlu().args(&screens).assert().success());
        assert!(help.contains("--keymap"), "{screens:?}: {help}");
    }
    s.vlu()
        .args(["--keymap", "vim", "diary"])
        .assert()
        .code(2)
        .stderr("vlu: --keymap is for the screens (vlu, vlu demo); vlu diary does not use it\n");
    // The variable is for the screens whenever they open: other commands ignore it.
    s.vlu()
        .env("VLU_KEYMAP", "vim")
        .args(["diary", "--date", "2026-11-24"])
        .assert()
        .success();
}

#[test]
fn every_option_has_help_with_an_example() {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_hide_set() || id == "help" || id == "version" {
                continue;
            }
            let help = arg
                .get_long_help()
                .or(arg.get_help())
                .map(ToString::to_string)
                .unwrap_or_default();
            let enumerated = !arg.get_possible_values().is_empty();
            if help.is_empty() || !(help.contains("E.g.") || enumerated) {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands().filter(|c| c.get_name() != "help") {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut cmd = vlu::cli::Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    walk(&cmd, "vlu", &mut missing);
    assert!(
        missing.is_empty(),
        "options without an example: {missing:?}"
    );
}

#[test]
fn completions_install_into_bash() {
    let s = Sandbox::new();
    let script = stdout(&s.vlu().args(["completions", "bash"]).assert().success());
    assert!(
        script.contains("_vlu()") && script.contains("diary"),
        "{script}"
    );
    let file = s.file("vlu.bash", &script);
    // Loaded as a bash completion directory would load it, then asked to complete
    // `vlu dia` and `vlu diary --fo`.
    let complete = |words: &str, cword: usize| {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {} && complete -p vlu && COMP_WORDS=({words}) && COMP_CWORD={cword} && _vlu vlu \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\" && echo \"${{COMPREPLY[@]}}\"",
                file.display()
            ))
            .output()
    };
    let Ok(first) = complete("vlu dia", 1) else {
        eprintln!("no bash: skipping the install");
        return;
    };
    assert!(first.status.success(), "{first:?}");
    let said = String::from_utf8(first.stdout).unwrap();
    let mut lines = said.lines();
    assert!(lines.next().unwrap().contains("-F _vlu"), "{said}");
    assert_eq!(lines.next(), Some("diary"), "{said}");
    let options = String::from_utf8(complete("vlu diary --fo", 2).unwrap().stdout).unwrap();
    assert!(
        options.lines().nth(1).unwrap().contains("--format"),
        "{options}"
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        s.vlu().args(["completions", shell]).assert().success();
    }
    s.vlu().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn completions_name_letter_kinds_key_date_kinds_and_keymaps() {
    let s = Sandbox::new();
    let script = stdout(&s.vlu().args(["completions", "bash"]).assert().success());
    let file = s.file("vlu.bash", &script);
    let complete = |words: &str, cword: usize| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {} && COMP_WORDS=({words}) && COMP_CWORD={cword} && _vlu vlu \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\" && echo \"${{COMPREPLY[@]}}\"",
                file.display()
            ))
            .output()
            .ok()?;
        Some(String::from_utf8(out.stdout).unwrap())
    };
    let Some(kinds) = complete("vlu letter ''", 2) else {
        eprintln!("no bash: only the script is checked");
        for word in ["initial_offer", "case_closure", "parole_hearing", "vim"] {
            assert!(script.contains(word), "{word}");
        }
        return;
    };
    for kind in vlu::domain::enums::LetterKind::IDS {
        assert!(
            kinds.split(' ').any(|w| w.trim() == *kind),
            "{kind}: {kinds}"
        );
    }
    let key_dates = complete("vlu letter key_date --key-date ''", 4).unwrap();
    for kind in vlu::domain::enums::KeyDateKind::IDS {
        assert!(
            key_dates.split(' ').any(|w| w.trim() == *kind),
            "{kind}: {key_dates}"
        );
    }
    let keymaps = complete("vlu --keymap ''", 2).unwrap();
    assert_eq!(keymaps.trim(), "default vim", "{keymaps}");
    let methods = complete("vlu log --method ''", 3).unwrap();
    assert!(
        methods.contains("letter") && methods.contains("phone"),
        "{methods}"
    );
    // Completing a value names it; it does not narrow what is taken: a keymap file, and a
    // kind the command itself refuses in its own words.
    let keys = s.file("keys.toml", "");
    s.vlu()
        .args(["--keymap"])
        .arg(&keys)
        .arg("diary")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--keymap is for the screens"));
    let out = s
        .vlu()
        .args(["letter", "no_such", "--victim", "V-1"])
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("is not a kind of letter"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn manual_pages_to_standard_output_or_a_folder() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    let page = stdout(&s.vlu().arg("man").assert().success());
    assert!(page.contains(".TH vlu 1"), "{page}");
    assert!(page.contains("\\-\\-data\\-dir"), "the options are in it");
    let dir = s.root.path().join("man/man1");
    s.vlu().args(["man", "--dir"]).arg(&dir).assert().success();
    for name in [
        "vlu.1",
        "vlu-export.1",
        "vlu-import.1",
        "vlu-keymap-check.1",
    ] {
        let path = dir.join(name);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{name} is for everyone");
    }
    assert!(
        !dir.join("vlu-help.1").exists(),
        "no page for clap's help command"
    );
    let export = std::fs::read_to_string(dir.join("vlu-export.1")).unwrap();
    assert!(export.contains("encrypt\\-to"), "{export}");
    // man itself finds and formats them, where it is installed.
    let found = std::process::Command::new("man")
        .env("MANPATH", s.root.path().join("man"))
        .args(["-w", "vlu-export"])
        .output();
    if let Ok(found) = found {
        assert_eq!(
            Path::new(String::from_utf8(found.stdout).unwrap().trim()),
            dir.join("vlu-export.1")
        );
    }
}

/// Every `VLU_…` variable named anywhere in the source.
fn variables_the_code_reads() -> Vec<String> {
    fn walk(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("VLU_") {
                    let name: String = text[at..]
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                        .collect();
                    if name.len() > 4 && !found.contains(&name) {
                        found.push(name);
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    found.sort();
    found
}

#[test]
fn help_and_the_manual_say_the_exit_status_environment_and_files() {
    let s = Sandbox::new();
    let help = stdout(&s.vlu().arg("--help").assert().success());
    let (_, status) = help.split_once("Exit status:").expect(&help);
    for code in ["0  ", "1  ", "2  ", "3  "] {
        assert!(status.contains(&format!("\n  {code}")), "{code}: {help}");
    }
    assert!(status.contains("may not"), "{help}");
    assert!(help.contains("vlu status 2>/dev/null || true"), "{help}");

    let page = stdout(&s.vlu().arg("man").assert().success());
    let section = |name: &str| {
        let start = page
            .find(&format!(".SH {name}\n"))
            .unwrap_or_else(|| panic!("no {name} in {page}"));
        let rest = &page[start + 4..];
        rest[..rest.find("\n.SH ").unwrap_or(rest.len())].to_owned()
    };
    assert!(!page.contains(".SH EXTRA"), "{page}");
    assert!(
        !page.contains("vlu\\-help"),
        "no page for clap's help is listed"
    );
    assert!(section("EXAMPLES").contains("vlu demo"));
    assert!(section("\"EXIT STATUS\"").contains(".B 3"));
    let environment = section("ENVIRONMENT");
    let variables = variables_the_code_reads();
    assert!(variables.len() >= 6, "{variables:?}");
    for variable in &variables {
        assert!(
            environment.contains(&format!(".B {variable}")),
            "{variable}: {environment}"
        );
    }
    assert!(environment.contains("NO_COLOR"));
    let files = section("FILES");
    for file in [
        "config.toml",
        "db/",
        "\n.I lock\n",
        "vlu.sock",
        "serve.lock",
        "service.log",
        "backups/",
    ] {
        assert!(files.contains(file), "{file}: {files}");
    }
    let dir = s.root.path().join("man");
    s.vlu().args(["man", "--dir"]).arg(&dir).assert().success();
    let export = std::fs::read_to_string(dir.join("vlu-export.1")).unwrap();
    assert!(export.contains(".SH EXAMPLES\n"), "{export}");
    assert!(export.contains("vlu export \\-\\-passphrase"), "{export}");
    assert!(export.contains(".SH \"EXIT STATUS\"\n"), "{export}");
    let listed: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(!listed.iter().any(|n| n.contains("help")), "{listed:?}");
    // Every page vlu(1) lists is written.
    for (at, _) in page.match_indices("vlu\\-") {
        let name: String = page[at..]
            .replace("\\-", "-")
            .chars()
            .take_while(|c| *c != '(')
            .collect();
        if page[at..].replace("\\-", "-")[name.len()..].starts_with("(1)") {
            assert!(
                listed.contains(&format!("{name}.1")),
                "{name} is listed, not written"
            );
        }
    }
}

/// A GOV.UK bank-holidays file for 2026 in which Boxing Day's substitute (Monday 28
/// December) is not a holiday and Tuesday 29 December is.
const GOV_UK_2026: &str = r#"{
  "england-and-wales": {"division": "england-and-wales", "events": [
    {"title": "New Year’s Day", "date": "2026-01-01", "notes": "", "bunting": true},
    {"title": "Good Friday", "date": "2026-04-03", "notes": "", "bunting": false},
    {"title": "Easter Monday", "date": "2026-04-06", "notes": "", "bunting": true},
    {"title": "Early May bank holiday", "date": "2026-05-04", "notes": "", "bunting": true},
    {"title": "Spring bank holiday", "date": "2026-05-25", "notes": "", "bunting": true},
    {"title": "Summer bank holiday", "date": "2026-08-31", "notes": "", "bunting": true},
    {"title": "Christmas Day", "date": "2026-12-25", "notes": "", "bunting": true},
    {"title": "Boxing Day", "date": "2026-12-29", "notes": "Moved", "bunting": true}
  ]},
  "scotland": {"division": "scotland", "events": []},
  "northern-ireland": {"division": "northern-ireland", "events": []}
}"#;

/// The due date of the one written follow-up of a call on Monday 21 December 2026.
fn follow_up_due(s: &Sandbox, config: &Path) -> String {
    let out = s
        .vlu()
        .arg("--config")
        .arg(config)
        .args(["diary", "--date", "2026-12-21", "--format", "json"])
        .assert()
        .success();
    let diary: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let items = diary["items"].as_array().unwrap();
    let follow_up = items
        .iter()
        .find(|i| i["kind"] == "written_follow_up")
        .expect("a follow-up");
    follow_up["due"].as_str().unwrap().to_owned()
}

#[test]
fn the_configuration_adds_and_removes_days_from_the_working_calendar() {
    let s = Sandbox::new();
    s.import_value(&json!({
        "format": "vlu-caseload", "version": 1,
        "officers": [ { "id": "sahmed", "name": "Sara Ahmed" } ],
        "cases": [ { "id": "C-1", "offender": { "name": "Daniel Reeve" },
                     "offence": { "category": "violent" },
                     "sentence": { "kind": "sds", "imposed_on": "2026-01-05" } } ],
        "victims": [ { "id": "V-1", "case_id": "C-1", "name": "Joan Mercer", "role": "victim",
            "eligibility": "statutory", "referred_on": "2026-01-10", "status": "opted_in",
            "status_since": "2026-02-01", "allocated_to": "sahmed",
            "preferences": { "information": "release_month" },
            "contacts": [ { "on": "2026-12-21", "kind": "update", "method": "phone",
                            "direction": "outbound" } ] } ]
    }));
    // 22, 23, 24, (Christmas, the weekend, Boxing Day's substitute) 29, 30.
    let plain = s.file("plain.toml", "");
    assert_eq!(follow_up_due(&s, &plain), "2026-12-30");
    // The unit works the substitute day: 22, 23, 24, 28, 29.
    let worked = s.file("worked.toml", "[calendar]\nworking_days = [2026-12-28]\n");
    assert_eq!(follow_up_due(&s, &worked), "2026-12-29");
    // GOV.UK's file for 2026 (read from beside the configuration): the 28th is worked, the
    // 29th is not: 22, 23, 24, 28, 30.
    s.file("bank-holidays.json", GOV_UK_2026);
    let gov = s.file(
        "gov.toml",
        "[calendar]\nbank_holidays_file = \"bank-holidays.json\"\n",
    );
    assert_eq!(follow_up_due(&s, &gov), "2026-12-30");
    let shown = stdout(
        &s.vlu()
            .arg("--config")
            .arg(&gov)
            .arg("config")
            .assert()
            .success(),
    );
    assert!(
        shown.contains("England and Wales 2026–2026, 8 listed"),
        "{shown}"
    );
    assert!(shown.contains("days worked         2026-12-28"), "{shown}");
    assert!(shown.contains("extra days off      2026-12-29"), "{shown}");
    // A Saturday cannot be worked; a file of another shape is refused.
    let saturday = s.file("sat.toml", "[calendar]\nworking_days = [2026-12-26]\n");
    let out = s
        .vlu()
        .arg("--config")
        .arg(&saturday)
        .arg("config")
        .assert()
        .code(2);
    assert!(stderr(&out).contains("line 2: working_days: 2026-12-26 is a Saturday"));
    s.file("bank-holidays.json", "[1, 2, 3]");
    let out = s
        .vlu()
        .arg("--config")
        .arg(&gov)
        .args(["diary"])
        .assert()
        .code(2);
    assert!(stderr(&out).contains("is not a bank-holidays file in GOV.UK's format"));
}

#[test]
fn config_shows_the_files_and_settings_in_force_and_no_victim() {
    let s = Sandbox::new();
    s.vlu().arg("import").arg(sample_path()).assert().success();
    let config = s.file(
        "config.toml",
        "extra_non_working_days = [2026-12-24]\n[officers]\nsara = \"sahmed\"\n[lead_times]\ninitial_offer_working_days = 20\n[backup]\nkeep = 3\n",
    );
    let shown = stdout(
        &s.vlu()
            .arg("--config")
            .arg(&config)
            .arg("config")
            .assert()
            .success(),
    );
    assert!(
        shown.contains(&format!(
            "# configuration file  {} (read)",
            config.display()
        )),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("{} (a store)", s.data_dir().display())),
        "{shown}"
    );
    // The settings part is a configuration file that gives the same settings.
    let given = vlu::config::Config::parse(&std::fs::read_to_string(&config).unwrap()).unwrap();
    let shown_back = vlu::config::Config::parse(&shown).unwrap();
    assert_eq!(shown_back, given);
    assert!(shown.contains("initial_offer_working_days = 20"));
    assert!(
        shown.contains("complaint_ack_working_days = 10"),
        "defaults shown too"
    );
    // Nothing of the caseload: no victim's name or address from the sample.
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    for v in sample["victims"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        assert!(!shown.contains(name), "{name} in vlu config");
    }
}
