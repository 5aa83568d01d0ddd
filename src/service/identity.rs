//! Who is speaking: the kernel says (`SO_PEERCRED`), the user database names them, and the
//! unit's configuration says whether they are admitted. Environment variables never change
//! who you are.

use std::os::unix::net::UnixStream;
use std::path::Path;

use crate::config::Config;
use crate::domain::enums::OfficerRole;
use crate::domain::model::Officer;
use crate::unit::access::Role;

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

/// What `user` is to the unit ([`Role`]): the account that owns the store is its
/// administrator; an officer is what the caseload's `role` says; while the unit has named
/// no manager or administrator, anyone admitted does a manager's work.
pub fn role_of(is_owner: bool, officer: Option<&str>, officers: &[Officer]) -> Role {
    if is_owner {
        return Role::Admin;
    }
    let Some(officer) = officer else {
        return Role::Unmapped;
    };
    match officers
        .iter()
        .find(|o| o.id == officer)
        .and_then(|o| o.role)
    {
        Some(OfficerRole::Admin) => Role::Admin,
        Some(OfficerRole::Manager) => Role::Manager,
        _ if !officers
            .iter()
            .any(|o| matches!(o.role, Some(OfficerRole::Manager | OfficerRole::Admin))) =>
        {
            Role::Manager
        }
        _ => Role::Vlo,
    }
}

/// Whether the service listening as `uid` is the store's own: run by the account that owns
/// the data directory, or by root (who may anyway; systemd's socket activation listens as
/// root). Otherwise the sentence saying whom the client found — before anything is sent.
pub fn trust_service(dir: &Path, uid: u32) -> Result<(), String> {
    let owner = owner_of(dir).map_err(|e| {
        format!(
            "could not tell who owns {} ({e}), so nothing was sent",
            dir.display()
        )
    })?;
    if uid == owner || uid == 0 {
        return Ok(());
    }
    let name = |uid| user_name(uid).unwrap_or_else(|| format!("uid {uid}"));
    Err(format!(
        "the socket of the unit service in {} is held by {}, not by {}, who owns the store: \
         nothing was sent to it; tell the unit's administrator",
        dir.display(),
        name(uid),
        name(owner)
    ))
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
    fn the_role_comes_from_the_caseload_and_managers_where_none_are_named() {
        let unit = [
            officer("sahmed", Some(OfficerRole::Vlo)),
            officer("pdevi", Some(OfficerRole::Manager)),
            officer("tgreen", Some(OfficerRole::Admin)),
            officer("anon", None),
        ];
        assert_eq!(role_of(false, Some("sahmed"), &unit), Role::Vlo);
        assert_eq!(role_of(false, Some("pdevi"), &unit), Role::Manager);
        assert_eq!(role_of(false, Some("tgreen"), &unit), Role::Admin);
        assert_eq!(
            role_of(false, Some("anon"), &unit),
            Role::Vlo,
            "no role, where roles are recorded"
        );
        assert_eq!(
            role_of(false, Some("stranger"), &unit),
            Role::Vlo,
            "no officer of the unit"
        );
        assert_eq!(role_of(true, Some("sahmed"), &unit), Role::Admin, "owner");
        assert_eq!(role_of(false, None, &unit), Role::Unmapped);
        let no_roles = [officer("sahmed", None), officer("jokafor", None)];
        assert_eq!(role_of(false, Some("sahmed"), &no_roles), Role::Manager);
        assert_eq!(role_of(false, Some("stranger"), &no_roles), Role::Manager);
        let no_managers = [
            officer("sahmed", Some(OfficerRole::Vlo)),
            officer("jokafor", None),
        ];
        assert_eq!(
            role_of(false, Some("sahmed"), &no_managers),
            Role::Manager,
            "no manager named yet"
        );
    }

    #[test]
    fn a_client_trusts_only_the_stores_owner_or_root() {
        let dir = tempfile::tempdir().unwrap();
        let owner = owner_of(dir.path()).unwrap();
        assert!(trust_service(dir.path(), owner).is_ok());
        assert!(trust_service(dir.path(), 0).is_ok());
        let other = if owner == 65534 { 65533 } else { 65534 };
        let said = trust_service(dir.path(), other).unwrap_err();
        assert!(said.contains("nothing was sent"), "{said}");
        assert!(said.contains("is held by"), "{said}");
    }
}
