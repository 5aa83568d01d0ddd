//! The clock of vlu's own tasks (beyond the interchange contract): casework with a deadline
//! that no kind of contact covers — a MAPPA contribution, a case conference, a media
//! enquiry, views sought, a satisfaction survey, an SFO victim summary report, a handover to
//! hospital managers, views to the Mental Health Casework Section, police liaison before an
//! escape is told, a disclosure beyond the victim's level, meeting notes agreed, a licence
//! variation, risk found in a VPS, support at a hearing.
//!
//! | kind | applies to | due | resolved by |
//! | --- | --- | --- | --- |
//! | `task` | each task with `opened_on` and no `done_on` | `due_on`, else `workdays(opened_on, n)` with the kind's n (`TaskKind::working_days`) | `done_on` |
//!
//! Like every rule, none applies to a victim who declined, opted out or is closed, nor in a
//! closed or transferred case: work still open there is closed on the record. A base-format
//! record has no tasks.

use super::Scan;
use crate::domain::enums::ReminderKind;

impl Scan<'_> {
    pub(super) fn tasks(&mut self) {
        for (i, t) in self.victim.tasks.iter().enumerate() {
            let (Some(kind), Some(opened), None) = (t.kind, t.opened_on, t.done_on) else {
                continue;
            };
            let due = t
                .due_on
                .unwrap_or_else(|| self.workdays(opened, kind.working_days()));
            if let Some(r) = self.add_entry(ReminderKind::Task, due, t.key_date, opened, Some(i)) {
                r.task = Some(kind);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Due dates worked by hand: Thursday 24 December 2026 + 1 working day is Tuesday 29
    //! December (Christmas Day on the Friday, Boxing Day moved to Monday 28); + 15 working
    //! days is Tuesday 19 January 2027 (29, 30, 31 Dec; 1 Jan is a bank holiday; 4–8, 11–15,
    //! 18, 19 Jan).
    use super::super::tests::{case, d, run, victim};
    use crate::domain::enums::{KeyDateKind, ReminderKind, TaskKind, VictimStatus};
    use crate::domain::model::Task;

    fn task(kind: TaskKind, opened: &str) -> Task {
        Task {
            kind: Some(kind),
            opened_on: Some(d(opened)),
            ..Task::default()
        }
    }

    fn tasks_due(v: &crate::domain::model::Victim, on: &str) -> Vec<(TaskKind, chrono::NaiveDate)> {
        let c = case("2020-01-10", &[]);
        run(v, &c, on)
            .into_iter()
            .filter(|r| r.kind == ReminderKind::Task)
            .map(|r| (r.task.unwrap(), r.due))
            .collect()
    }

    #[test]
    fn a_task_is_due_its_kinds_working_days_after_opening_over_christmas() {
        let mut v = victim(VictimStatus::OptedIn, "2026-01-05");
        v.tasks = vec![
            task(TaskKind::MediaEnquiry, "2026-12-24"),
            task(TaskKind::SfoReport, "2026-12-24"),
            task(TaskKind::PoliceLiaison, "2026-12-24"),
        ];
        assert_eq!(
            tasks_due(&v, "2026-12-24"),
            [
                (TaskKind::MediaEnquiry, d("2026-12-29")),
                (TaskKind::SfoReport, d("2027-01-19")),
                (TaskKind::PoliceLiaison, d("2026-12-24")),
            ]
        );
        let rs = run(&v, &case("2020-01-10", &[]), "2026-12-24");
        assert_eq!(
            rs.iter()
                .find(|r| r.kind == ReminderKind::Task)
                .unwrap()
                .action(),
            "Tell the press office of the media enquiry (opened 24 Dec 2026)"
        );
    }

    #[test]
    fn a_due_day_on_record_wins_and_a_task_done_or_unopened_asks_nothing() {
        let mut v = victim(VictimStatus::Referred, "2026-01-05");
        v.tasks = vec![
            Task {
                due_on: Some(d("2027-02-01")),
                key_date: Some(KeyDateKind::MappaMeeting),
                ..task(TaskKind::MappaContribution, "2026-12-01")
            },
            Task {
                done_on: Some(d("2026-12-02")),
                ..task(TaskKind::MediaEnquiry, "2026-12-01")
            },
            Task {
                opened_on: None,
                ..task(TaskKind::Survey, "2026-12-01")
            },
        ];
        assert_eq!(
            tasks_due(&v, "2026-12-24"),
            [(TaskKind::MappaContribution, d("2027-02-01"))]
        );
        // A victim who declined gets no reminder, tasks or not.
        v.status = VictimStatus::Declined;
        assert_eq!(tasks_due(&v, "2026-12-24"), []);
    }
}
