//! An export that leaves the unit encrypted (age), and its import back: no victim's address
//! in clear, and the round trip gives the same caseload.

mod common;

use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;
use common::{Sandbox, sample_path};

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// Every contact detail and name of a victim or representative in the sample unit.
fn sample_secrets() -> Vec<String> {
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    let mut out = Vec::new();
    let mut details = |d: &serde_json::Value| {
        for key in ["address", "phone", "email"] {
            if let Some(s) = d[key].as_str() {
                out.push(s.to_owned());
            }
        }
    };
    let victims = sample["victims"].as_array().unwrap();
    for v in victims {
        details(&v["contact_details"]);
        details(&v["representative"]["contact_details"]);
    }
    let addresses = out.len();
    for v in victims {
        out.push(v["name"].as_str().unwrap().to_owned());
    }
    assert!(
        addresses > 20,
        "the sample has addresses to hide ({addresses})"
    );
    out
}

/// A new age identity in a file (as age-keygen writes one) and its public key.
fn identity(dir: &Path) -> (PathBuf, String) {
    let key = age::x25519::Identity::generate();
    let path = dir.join("unit.key");
    std::fs::write(
        &path,
        format!("# a unit's key\n{}\n", key.to_string().expose_secret()),
    )
    .unwrap();
    (path, key.to_public().to_string())
}

fn assert_sealed(bytes: &[u8]) {
    for secret in sample_secrets() {
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "{secret:?} is in the encrypted export");
    }
}

#[test]
fn an_export_encrypted_to_a_key_hides_every_address_and_round_trips() {
    let from = Sandbox::with_sample();
    let plain = from.export();
    let (key, public) = identity(from.root.path());
    let sealed = from.root.path().join("transfer.json.age");
    from.vlu()
        .args(["export", "--encrypt-to", &public])
        .arg(&sealed)
        .assert()
        .success();
    let bytes = std::fs::read(&sealed).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"));
    assert_sealed(&bytes);

    let to = Sandbox::new();
    let out = to.vlu().arg("import").arg(&sealed).assert().code(2);
    assert!(stderr(&out).contains("--identity FILE"), "{}", stderr(&out));
    let other_dir = tempfile::tempdir().unwrap();
    let (wrong, _) = identity(other_dir.path());
    let out = to
        .vlu()
        .arg("import")
        .arg(&sealed)
        .arg("--identity")
        .arg(&wrong)
        .assert()
        .code(2);
    assert!(stderr(&out).contains("none of the identities given opens"));
    assert!(!to.data_dir().exists(), "nothing was made");
    to.vlu()
        .arg("import")
        .arg(&sealed)
        .arg("--identity")
        .arg(&key)
        .assert()
        .success();
    assert_eq!(to.export(), plain, "the same caseload, byte for byte");
}

#[test]
fn a_recipients_file_armour_and_standard_input_work_too() {
    let from = Sandbox::with_sample();
    let plain = from.export();
    let (key, public) = identity(from.root.path());
    let recipients = from.file("recipients.txt", format!("# the unit\n{public}\n"));
    let out = from
        .vlu()
        .args(["export", "--armor", "--encrypt-to"])
        .arg(&recipients)
        .assert()
        .success();
    let armoured = out.get_output().stdout.clone();
    assert!(armoured.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
    assert_sealed(&armoured);
    let to = Sandbox::new();
    to.vlu()
        .args(["import", "-", "--identity"])
        .arg(&key)
        .write_stdin(armoured)
        .assert()
        .success();
    assert_eq!(to.export(), plain);
    let bad = from.file("bad-recipients.txt", "age1notakey\n");
    let out = from
        .vlu()
        .args(["export", "--encrypt-to"])
        .arg(&bad)
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("line 1: not an age public key"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_passphrase_comes_from_a_file_or_the_environment_never_the_command_line() {
    let from = Sandbox::with_sample();
    let plain = from.export();
    let pass = from.file("transfer.pass", "correct horse battery staple\n");
    let sealed = from.root.path().join("p.age");
    from.vlu()
        .arg("export")
        .arg("--passphrase-file")
        .arg(&pass)
        .arg(&sealed)
        .assert()
        .success();
    let bytes = std::fs::read(&sealed).unwrap();
    assert!(
        bytes.windows(6).any(|w| w == b"scrypt"),
        "a passphrase file"
    );
    assert_sealed(&bytes);
    let to = Sandbox::new();
    let out = to
        .vlu()
        .env("VLU_PASSPHRASE", "wrong horse")
        .arg("import")
        .arg(&sealed)
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("the passphrase does not open"),
        "{}",
        stderr(&out)
    );
    to.vlu()
        .env("VLU_PASSPHRASE", "correct horse battery staple")
        .arg("import")
        .arg(&sealed)
        .assert()
        .success();
    assert_eq!(to.export(), plain);
    // --passphrase takes no value: what follows is the file to write.
    let out = from
        .vlu()
        .args(["export", "--passphrase=secret"])
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("unexpected value"),
        "{}",
        stderr(&out)
    );
}

/// No terminal to ask on, no file, no variable: refused before anything is written. Run
/// in a session of its own (`setsid`), so that no terminal can be reached even when the
/// tests run from one.
#[test]
fn no_passphrase_and_no_terminal_is_refused() {
    let s = Sandbox::with_sample();
    let target = s.root.path().join("never.age");
    let bin = assert_cmd::cargo::cargo_bin("vlu");
    let out = std::process::Command::new("setsid")
        .arg("-w")
        .arg(bin)
        .args(["export", "--passphrase"])
        .arg(&target)
        .env("VLU_DATA_DIR", s.data_dir())
        .env("XDG_CONFIG_HOME", s.root.path().join("config"))
        .env("VLU_IDLE_SECONDS", common::IDLE)
        .env_remove("VLU_PASSPHRASE")
        .stdin(std::process::Stdio::null())
        .output();
    let Ok(out) = out else {
        eprintln!("no setsid: skipping");
        return;
    };
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("there is no terminal to ask on"), "{err}");
    assert!(!target.exists());
}
