//! Arguments and configuration values far out of range are refused with a sentence and
//! exit 2, and nothing a user typed is repeated whole.

mod common;

use common::{Sandbox, sample_path};

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

#[test]
fn generate_refuses_sizes_and_days_it_cannot_make() {
    let s = Sandbox::new();
    for victims in ["0", "1000001", "1000000000000", "18446744073709551615"] {
        let out = s
            .vlu()
            .args(["generate", "--victims", victims])
            .assert()
            .code(2)
            .stdout("");
        assert_eq!(
            stderr(&out),
            format!("vlu: cannot generate {victims} victims: --victims takes 1 to 1000000\n")
        );
    }
    for day in ["9999-12-31", "1900-01-01"] {
        let out = s
            .vlu()
            .args(["generate", "--victims", "5", "--as-of", day])
            .assert()
            .code(2)
            .stdout("");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!(
                "vlu: cannot generate a unit as of {day}: --as-of takes 1975-01-01 to 2060-12-31"
            )),
            "{err}"
        );
    }
}

/// Many units share the victims asked for, a file each; more units than victims (or than
/// a thousand), or none, is refused.
#[test]
fn generate_shares_victims_between_units() {
    let s = Sandbox::new();
    let dir = s.root.path().join("units");
    s.vlu()
        .args(["generate", "--victims", "10", "--units", "3", "--out"])
        .arg(&dir)
        .assert()
        .success();
    let mut sizes = Vec::new();
    for n in 1..=3 {
        let text = std::fs::read(dir.join(format!("unit-{n:03}.json"))).unwrap();
        let unit: serde_json::Value = serde_json::from_slice(&text).unwrap();
        sizes.push(unit["victims"].as_array().unwrap().len());
    }
    assert_eq!(sizes, [4, 3, 3]);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
    for units in ["0", "11"] {
        let out = s
            .vlu()
            .args(["generate", "--victims", "10", "--units", units, "--out"])
            .arg(s.root.path().join("more"))
            .assert()
            .code(2);
        assert!(
            stderr(&out).contains("--units takes 1 to 10"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn a_lead_time_past_its_bound_names_the_key_file_and_line() {
    let s = Sandbox::new();
    s.vlu().arg("import").arg(sample_path()).assert().success();
    let config = s.file(
        "vlu.toml",
        "[lead_times]\ninitial_offer_working_days = 4294967295\n",
    );
    let start = std::time::Instant::now();
    let out = s
        .vlu()
        .arg("--config")
        .arg(&config)
        .args(["diary", "--date", "2026-11-24"])
        .assert()
        .code(2)
        .stdout("");
    assert!(start.elapsed().as_secs() < 5, "refused at once");
    assert_eq!(
        stderr(&out),
        format!(
            "vlu: configuration file {}, line 2: initial_offer_working_days is 4294967295, \
             more than the 260 working days a lead time may be; give 0 to 260\n",
            config.display()
        )
    );
}

#[test]
fn a_huge_unknown_key_is_not_echoed_whole() {
    let s = Sandbox::new();
    let config = s.file("vlu.toml", format!("{} = 1\n", "x".repeat(1 << 20)));
    let out = s
        .vlu()
        .arg("--config")
        .arg(&config)
        .arg("diary")
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(err.len() < 1_000, "{} bytes on stderr", err.len());
    assert!(err.contains(&format!("{}…", "x".repeat(60))), "{err}");
    assert!(err.contains("line 1"), "{err}");
}
