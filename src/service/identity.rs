//! Who is speaking: the kernel says (`SO_PEERCRED`), the user database names them, and the
//! unit's configuration says whether they are admitted. Environment variables never change
//! who you are.

use std::os::unix::net::UnixStream;
use std::path::Path;

use crate::config::Config;
use crate::domain::enums::OfficerRole;
use crate::domain::model::Officer;

/// The uid of the process at the other end of `stream`.
pub fn peer(stream: &UnixStream) -> Result<u32, String> {
    rustix::net::sockopt::socket_peercred(stream)
        .map(|cred| cred.uid.as_raw())
        .map_err(|e| format!("the service could not tell who is connecting ({e})"))
}

/// The name of `uid` in the system's user database.
pub fn user_name(uid: u32) -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .map(|u| u.name)
}

/// The name of the user running this process, from the user database (not `$USER`).
pub fn current_user() -> String {
    let uid = rustix::process::getuid().as_raw();
    user_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

/// The uid that owns `dir`.
pub fn owner_of(dir: &Path) -> std::io::Result<u32> {
    use std::os::unix::fs::MetadataExt;
    Ok(std::fs::metadata(dir)?.uid())
}

/// The user's name if they may use the store: with no users mapped in the configuration,
/// only the owner of the data directory (a one-person store, as before); once any are, only
/// the users mapped. Otherwise one sentence saying who was refused and where to map them.
pub fn admit(uid: u32, owner: u32, config: &Config) -> Result<String, String> {
    let name = user_name(uid).unwrap_or_else(|| format!("uid {uid}"));
    let admitted = if config.officers.is_empty() {
        uid == owner
    } else {
        config.officers.contains_key(&name)
    };
    if admitted {
        Ok(name)
    } else if config.officers.is_empty() {
        Err(format!(
            "the user {name} may not use this store: it belongs to {}; a unit shares one \
             store by mapping each user to an officer under [officers] in the configuration",
            user_name(owner).unwrap_or_else(|| format!("uid {owner}"))
        ))
    } else {
        Err(format!(
            "the user {name} is not mapped to an officer under [officers] in the unit's \
             configuration; ask the unit's administrator to add them"
        ))
    }
}

/// Whether someone may make the monitoring return, which counts the whole unit's victims:
/// the owner of the data directory (the store's administrator), and an officer whose role is
/// `manager` or `admin`; while the unit has named no manager or administrator yet, anyone who
/// may use the store (as for reallocating victims). `officer` is the officer the user is
/// mapped to (or their user name).
pub fn may_report(is_owner: bool, officer: &str, officers: &[Officer]) -> bool {
    let manages = |o: &Officer| matches!(o.role, Some(OfficerRole::Manager | OfficerRole::Admin));
    is_owner
        || !officers.iter().any(manages)
        || officers.iter().any(|o| o.id == officer && manages(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(id: &str, role: Option<OfficerRole>) -> Officer {
        Officer {
            id: id.into(),
            name: id.into(),
            role,
            phone: None,
            email: None,
        }
    }

    #[test]
    fn the_return_is_for_managers_and_administrators_where_roles_are_recorded() {
        let unit = [
            officer("sahmed", Some(OfficerRole::Vlo)),
            officer("pdevi", Some(OfficerRole::Manager)),
            officer("tgreen", Some(OfficerRole::Admin)),
            officer("anon", None),
        ];
        assert!(!may_report(false, "sahmed", &unit), "a VLO");
        assert!(may_report(false, "pdevi", &unit));
        assert!(may_report(false, "tgreen", &unit));
        assert!(
            !may_report(false, "anon", &unit),
            "no role, where roles are recorded"
        );
        assert!(
            !may_report(false, "stranger", &unit),
            "no officer of the unit"
        );
        assert!(may_report(true, "sahmed", &unit), "the store's owner");
        let no_roles = [officer("sahmed", None), officer("jokafor", None)];
        assert!(may_report(false, "sahmed", &no_roles));
        assert!(may_report(false, "stranger", &no_roles));
        let no_managers = [
            officer("sahmed", Some(OfficerRole::Vlo)),
            officer("jokafor", None),
        ];
        assert!(
            may_report(false, "sahmed", &no_managers),
            "no manager named yet"
        );
    }
}
