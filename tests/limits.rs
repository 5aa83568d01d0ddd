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
