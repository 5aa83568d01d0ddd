//! `vlu reallocate`: a victim, a case, or everything of one officer, to other officers — a
//! manager's work (refused by the service to others once the unit has named managers).

use super::Env;
use crate::error::Error;
use crate::store::{Moving, Reallocation};
use crate::unit::api::UnitStore;
use crate::unit::command::Command;

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("moving").required(true))]
pub struct ReallocateArgs {
    /// One victim. E.g. --victim V-0001
    #[arg(long, value_name = "ID", group = "moving")]
    pub victim: Option<String>,
    /// Every victim of a case. E.g. --case C-2025-014
    #[arg(long, value_name = "ID", group = "moving")]
    pub case: Option<String>,
    /// Everything allocated to this officer (one who is leaving). E.g. --from sahmed
    #[arg(long, value_name = "OFFICER", group = "moving")]
    pub from: Option<String>,
    /// The officer, or officers separated by commas, to reallocate to; with several, whole
    /// cases are shared out evenly. E.g. --to jokafor or --to jokafor,pbrennan.
    #[arg(
        long,
        value_name = "OFFICER[,OFFICER…]",
        value_delimiter = ',',
        required = true
    )]
    pub to: Vec<String>,
}

pub fn reallocate(env: &Env, args: &ReallocateArgs) -> Result<(), Error> {
    let moving = match (&args.victim, &args.case, &args.from) {
        (Some(v), _, _) => Moving::Victim(v.clone()),
        (_, Some(c), _) => Moving::Case(c.clone()),
        (_, _, Some(o)) => Moving::Officer(o.clone()),
        _ => {
            return Err(Error::Usage(
                "name a --victim, a --case or --from an officer".into(),
            ));
        }
    };
    let to: Vec<String> = args
        .to
        .iter()
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    let Some(service) = env.service()? else {
        return Err(Error::Usage(format!(
            "there is no store in {}",
            env.data_dir.display()
        )));
    };
    let saved = service.execute(&Command::Reallocate(Reallocation { moving, to }))?;
    let moved: Vec<String> = saved
        .fresh
        .victims
        .iter()
        .map(|v| {
            format!(
                "{} to {}",
                v.id,
                v.allocated_to.as_deref().unwrap_or_default()
            )
        })
        .collect();
    say!(
        "Reallocated {}: {}.",
        crate::domain::text::plural(moved.len(), "victim"),
        crate::domain::text::visible(&moved.join(", "))
    );
    Ok(())
}
