//! The administrator's screens: erasure, subject access and the audit trail, through the
//! same calls as `vlu erase`, `vlu sar` and `vlu audit` (`UnitAdmin`), with the same
//! confirmation: the reason, and the id typed back. Offered to the unit's administrators
//! only (the service's role); the service refuses anyone else anyway.

use chrono::Days;

use super::{App, Effect, Overlay};
use crate::domain::retention::{Reason, Target, falling_due};
use crate::domain::text::visible;
use crate::domain::validate::Problem;
use crate::store::{AuditEntry, AuditQuery, Erased, SubjectAccess};
use crate::tui::action::Action;
use crate::tui::form::{Field, Form, Purpose};
use crate::unit::access;

/// Days of the whole unit's audit trail the screens show (a victim's: all of it).
pub const AUDIT_DAYS: u64 = 31;

/// What the store gave an administrator to read.
#[derive(Debug, Clone, PartialEq)]
pub enum AdminView {
    /// Audit entries, oldest first: about one victim, or the whole unit's recent ones.
    Audit {
        about: Option<String>,
        entries: Vec<AuditEntry>,
    },
    /// Everything held about one victim (the store recorded it as a disclosure).
    SubjectAccess(Box<SubjectAccess>),
}

/// Compared as the overlays are (a view is the store's answer, never edited).
impl Eq for AdminView {}

impl App {
    /// Whether the screens offer a key's action to the signed-in user: the service's rule
    /// for the manager's views and the administrator's screens; everything else is every
    /// officer's. The help and the footer list only what is offered.
    pub fn offers(&self, action: Action) -> bool {
        match action {
            Action::Workload
            | Action::SortWorkload
            | Action::Report
            | Action::PrevPeriod
            | Action::NextPeriod => self.may(access::Action::Report),
            Action::Erase | Action::SubjectAccess | Action::AuditTrail => {
                self.may(access::Action::Administer)
            }
            _ => true,
        }
    }

    /// `erase`, `subject-access`, `audit-trail`: from the victim view about its victim; the
    /// audit trail from the panes for the whole unit.
    pub(super) fn admin_action(&mut self, action: Action) -> Option<Effect> {
        if !self.offers(action) {
            self.screen.message = Some(format!(
                "That is for the unit's administrators (you are {}).",
                self.settings.role.name()
            ));
            return None;
        }
        let in_view = matches!(self.screen.overlays.last(), Some(Overlay::Victim { .. }));
        let victim = in_view
            .then(|| self.selected_victim().map(|v| v.id.clone()))
            .flatten();
        match (action, victim) {
            (Action::Erase, Some(_)) => self.open_erase_form(),
            (Action::SubjectAccess, Some(victim)) => return Some(Effect::SubjectAccess { victim }),
            (Action::AuditTrail, victim) => {
                let since = victim.is_none().then(|| {
                    self.settings
                        .today
                        .checked_sub_days(Days::new(AUDIT_DAYS))
                        .unwrap_or(self.settings.today)
                });
                return Some(Effect::Audit(AuditQuery {
                    victim,
                    since,
                    ..AuditQuery::default()
                }));
            }
            _ => {}
        }
        None
    }

    /// The erasure's form: the victim or their whole case, why, and the id typed back.
    fn open_erase_form(&mut self) {
        let Some(v) = self.selected_victim() else {
            return;
        };
        let of_case: Vec<&str> = self
            .caseload()
            .victims
            .iter()
            .filter(|o| o.case_id == v.case_id)
            .map(|o| o.id.as_str())
            .collect();
        let what = vec![
            (
                "victim".to_owned(),
                format!(
                    "victim {} ({}) with their contact log",
                    visible(&v.id),
                    visible(&v.name)
                ),
            ),
            (
                "case".to_owned(),
                format!(
                    "case {} with every victim of it ({})",
                    visible(&v.case_id),
                    visible(&of_case.join(", "))
                ),
            ),
        ];
        let reasons = [
            ("retention", "a retention rule made it due"),
            ("request", "the person asked, and the unit agreed"),
            ("error", "it was recorded in error"),
        ]
        .map(|(id, words)| (id.to_owned(), words.to_owned()));
        let form = Form::new(
            "Erase for good — it cannot be undone",
            Purpose::Erase {
                victim: v.id.clone(),
                case: v.case_id.clone(),
            },
            vec![
                Field::choice_labelled("what", "Erase", what, "victim"),
                Field::choice_labelled("reason", "Why", reasons, "retention"),
                Field::line("confirm", "Type its id to confirm", ""),
            ],
        );
        self.open_form(form);
    }

    /// The retention rule that makes `target` due today, if one does (a victim of a case
    /// that is due may go alone, under the case's rule), as `vlu erase` finds it.
    fn retention_reason(&self, target: &Target) -> Option<Reason> {
        if !self.settings.retention.any() {
            return None;
        }
        let joined = self
            .caseload()
            .victims
            .iter()
            .zip(self.lens.facts())
            .filter_map(|(v, f)| Some((v, f, self.case_of(v)?)));
        let due = falling_due(
            joined,
            &self.caseload().cases,
            &self.settings.retention,
            self.settings.today,
        );
        due.into_iter()
            .find(|d| match target {
                Target::Case(_) => d.target == *target,
                Target::Victim(v) => d.target == *target || d.victims.contains(v),
            })
            .map(|d| Reason::Retention {
                rule: d.rule,
                years: d.years,
            })
    }

    /// The erasure the form asks for, once its reason holds and its id is typed back.
    pub(super) fn erasure_from(
        &self,
        form: &Form,
        victim: &str,
        case: &str,
    ) -> (Option<Effect>, Vec<Problem>) {
        let target = match form.value("what") {
            Some("case") => Target::Case(case.to_owned()),
            _ => Target::Victim(victim.to_owned()),
        };
        let problem = |path: &str, message: String| Problem {
            path: path.into(),
            message,
        };
        let reason = match form.value("reason") {
            Some("request") => Ok(Reason::Request),
            Some("error") => Ok(Reason::Error),
            _ => self.retention_reason(&target).ok_or_else(|| {
                problem(
                    "reason",
                    format!(
                        "{} {} is not due under the unit's retention rules: if it must go \
                         now, say why (the person asked, or it was recorded in error)",
                        target.noun(),
                        visible(target.id())
                    ),
                )
            }),
        };
        let mut problems = Vec::new();
        if form.value("confirm") != Some(target.id()) {
            problems.push(problem(
                "confirm",
                format!(
                    "type {} to confirm; nothing is erased until then",
                    visible(target.id())
                ),
            ));
        }
        match reason {
            Ok(reason) if problems.is_empty() => (Some(Effect::Erase { target, reason }), problems),
            Ok(_) => (None, problems),
            Err(p) => {
                problems.insert(0, p);
                (None, problems)
            }
        }
    }

    /// The store erased it (the loop has read the caseload again): the form and the
    /// erased victim's record close, and what went is said.
    pub(crate) fn erased(&mut self, erased: &Erased) {
        self.screen.overlays.retain(|o| {
            !matches!(
                o,
                Overlay::Victim { .. }
                    | Overlay::Entry(_)
                    | Overlay::Form(Form {
                        purpose: Purpose::Erase { .. },
                        ..
                    })
            )
        });
        self.screen.message = Some(format!(
            "Erased {} and {} of contact log; the audit trail keeps entry #{}, which names \
             only the ids. Backups taken before now still hold it until they are replaced.",
            crate::domain::text::plural(erased.victims.len(), "victim"),
            crate::domain::text::counted(erased.contacts, "entry", "entries"),
            erased.seq
        ));
    }

    /// What the store gave an administrator, shown over everything, scrolled to its top.
    pub(crate) fn admin_loaded(&mut self, view: AdminView) {
        self.screen.overlay_scroll = 0;
        self.screen.overlays.push(Overlay::Admin(Box::new(view)));
    }
}
