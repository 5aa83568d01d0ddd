//! The fields that are choices of the unit's own records (a new victim's case, the officer
//! a victim is allocated to), and the saves a role does not allow, said beside their
//! field before the service is asked.

use super::App;
use crate::domain::validate::Problem;
use crate::tui::form::{Field, Form, Purpose};

impl App {
    /// The case a new victim is of: the selected victim's to begin with, shown with its
    /// offender so that it is seen, and changed by typing part of its id or offender.
    pub(super) fn case_field(&self, value: &str) -> Field {
        let options = std::iter::once((String::new(), "choose a case".to_owned())).chain(
            self.caseload().cases.iter().map(|c| {
                (
                    c.id.clone(),
                    format!(
                        "{} · {}",
                        crate::domain::text::visible(&c.id),
                        crate::domain::text::visible(&c.offender.name)
                    ),
                )
            }),
        );
        Field::choice_labelled("case_id", "Case", options, value)
    }

    /// The officer a victim is allocated to: one of the unit's officers, or none. An id
    /// the unit no longer has stays a choice of its own, so that opening a form never
    /// changes who holds a victim.
    pub(super) fn officer_field(&self, value: &str) -> Field {
        let known = self.caseload().officers.iter().any(|o| o.id == value);
        let stranger = (!value.is_empty() && !known).then(|| {
            (
                value.to_owned(),
                format!("{value} (not an officer of this unit)"),
            )
        });
        let options = std::iter::once((String::new(), "not allocated".to_owned()))
            .chain(stranger)
            .chain(
                self.caseload()
                    .officers
                    .iter()
                    .map(|o| (o.id.clone(), format!("{} ({})", o.name, o.id))),
            );
        Field::choice_labelled("allocated_to", "Officer", options, value)
    }

    /// A save the signed-in user's role does not allow, said beside the field before the
    /// service is asked (it would refuse it): giving a victim to another officer, marking a
    /// case transferred.
    pub(super) fn refused_by_role(&self, form: &Form) -> Option<Problem> {
        use crate::unit::access::Action as Asked;
        let (path, action) = match &form.purpose {
            Purpose::EditVictim { .. } => ("allocated_to", Asked::Reallocate),
            Purpose::EditCaseCasework { .. } => ("transferred.on", Asked::Transfer),
            _ => return None,
        };
        let moved = match action {
            Asked::Transfer => {
                form.changed_field("transferred.on") || form.changed_field("transferred.to_area")
            }
            _ => form.changed_field(path),
        };
        if !moved {
            return None;
        }
        (!self.may(action)).then(|| Problem {
            path: path.into(),
            message: format!(
                "only the unit's managers and administrators may {} (you are {})",
                action.said(),
                self.settings.role.name()
            ),
        })
    }
}
