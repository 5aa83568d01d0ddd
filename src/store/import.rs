//! `vlu import` into the store: a caseload written in staged batches, all or nothing.

use std::collections::HashMap;

use super::engine::Batch;
use chrono::NaiveDate;

use super::digest::Edit;
use super::staged::{Stage, Staged};
use super::stamp::Record;
use super::{CASE, ImportSummary, META, OFFICER, Store, StoreError, VICTIM, encode, key};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Caseload, Unit};
use crate::domain::validate::KnownIds;

/// Without `--replace`, an id already stored is refused. Validation checks this against the
/// store it read; this checks it again against the store being written, which another
/// import may have filled in between.
fn refuse_taken_ids(caseload: &Caseload, known: &KnownIds) -> Result<(), StoreError> {
    let officers = caseload.officers.iter().map(|o| (&o.id, &known.officers));
    let cases = caseload.cases.iter().map(|c| (&c.id, &known.cases));
    let victims = caseload.victims.iter().map(|v| (&v.id, &known.victims));
    let erased = caseload
        .cases
        .iter()
        .map(|c| (&c.id, &known.erased_cases))
        .chain(
            caseload
                .victims
                .iter()
                .map(|v| (&v.id, &known.erased_victims)),
        )
        .find_map(|(id, gone)| gone.contains(id).then_some(id));
    if let Some(id) = erased {
        return Err(StoreError::Refused(format!(
            "{id} was erased from this store (while this file was being checked); nothing \
             was imported: use --replace to bring it back, if it must come back"
        )));
    }
    let taken = officers
        .chain(cases)
        .chain(victims)
        .find_map(|(id, stored)| stored.contains(id).then_some(id));
    match taken {
        Some(id) => Err(StoreError::Refused(format!(
            "the id {id} is already in the store (another import added it while this file was \
             being checked); nothing was imported: run the import again, with --replace to \
             overwrite"
        ))),
        None => Ok(()),
    }
}

/// What importing `caseload` into a store holding the ids `known` writes, and the ids it
/// replaces (officers, cases, victims, in the file's order): for the import's summary and
/// audit record, and for a dry run's report.
pub fn planned(caseload: &Caseload, known: &KnownIds) -> (ImportSummary, Vec<String>) {
    let officers = caseload.officers.iter().map(|o| (&o.id, &known.officers));
    let cases = caseload.cases.iter().map(|c| (&c.id, &known.cases));
    let victims = caseload.victims.iter().map(|v| (&v.id, &known.victims));
    let replaced: Vec<String> = officers
        .chain(cases)
        .chain(victims)
        .filter(|(id, stored)| stored.contains(*id))
        .map(|(id, _)| id.clone())
        .collect();
    let summary = ImportSummary {
        officers: caseload.officers.len(),
        cases: caseload.cases.len(),
        victims: caseload.victims.len(),
        contacts: caseload.victims.iter().map(|v| v.contacts.len()).sum(),
        replaced: replaced.len(),
        unerased: Vec::new(),
    };
    (summary, replaced)
}

impl Store {
    /// Imports a validated caseload in one atomic batch. With `replace`, records whose ids
    /// are already stored are overwritten — a victim together with its contact log.
    pub fn import(&self, caseload: &Caseload, replace: bool) -> Result<ImportSummary, StoreError> {
        self.import_with_progress(caseload.clone(), replace, &mut || {})
    }

    /// `import`, calling `step` once for each victim staged (for a progress bar).
    pub fn import_with_progress(
        &self,
        mut caseload: Caseload,
        replace: bool,
        step: &mut dyn FnMut(),
    ) -> Result<ImportSummary, StoreError> {
        self.in_turn(|| {
            let known = self.known_ids()?;
            // The return's facts of the victims the import writes (and of its cases'
            // victims) are worked out once it is in, not batch by batch as it goes: a
            // victim's case may come in a later batch than the victim. Until then none are
            // kept; should the import fail, the next return works them all out.
            let kept = self.return_basis()?;
            let touched = kept.as_ref().map(|_| touched_by(&caseload));
            if kept.is_some() {
                self.forget_kept_facts()?;
            }
            let written = self.import_staged(&mut caseload, &known, replace, step);
            if let (Ok(_), Some(basis), Some((victims, cases))) = (&written, &kept, &touched)
                && let Err(e) = if victims.len() + cases.len() > FEW {
                    // Many: read the whole unit in order, as a return does, not one by one.
                    self.keep_facts_afresh_in_turn(basis, |_| {})
                } else {
                    self.keep_facts_of(victims, cases, basis)
                }
            {
                // The import is in; the next return works the facts out instead.
                tracing::warn!(error = %e, "the return's facts were not kept after an import");
            }
            if written.is_err() && self.usable().is_ok() {
                // Whatever was applied goes, now; if even that fails (the disk that stopped
                // the import may have no room to undo it either), or the engine is stuck, on
                // the next open, before anything is read. The import's own error is the one
                // to report.
                let _ = self.undo_unfinished();
            }
            written
        })
    }
}

/// Records an import may write before the return's facts are better worked out again for
/// the whole unit, read in order, than for those records, read one by one.
const FEW: usize = 2_000;

/// The victims and the cases an import writes.
fn touched_by(caseload: &Caseload) -> (Vec<String>, Vec<String>) {
    (
        caseload.victims.iter().map(|v| v.id.clone()).collect(),
        caseload.cases.iter().map(|c| c.id.clone()).collect(),
    )
}

impl Store {
    /// The import's writes: records and logs in staged batches, then the digest, the unit
    /// and the audit record in the last batch.
    fn import_staged(
        &self,
        caseload: &mut Caseload,
        known: &KnownIds,
        replace: bool,
        step: &mut dyn FnMut(),
    ) -> Result<ImportSummary, StoreError> {
        if !replace {
            refuse_taken_ids(caseload, known)?;
        }
        let (mut summary, replaced_ids) = planned(caseload, known);
        let mut staged = Staged::new(self)?;
        let mut batch = Batch::default();
        // The logs first, each freed once staged: in a large file they are nearly all of it.
        let mut facts = Vec::with_capacity(caseload.victims.len());
        for v in &mut caseload.victims {
            let log = std::mem::take(&mut v.contacts);
            Self::stage_log(&mut staged, &v.id, &log)?;
            facts.push(LogFacts::of(&log));
            step();
        }
        self.stage_unit(&mut batch, caseload, replace)?;
        for o in &caseload.officers {
            staged.put(key(OFFICER, &o.id), encode(o))?;
        }
        // A replaced victim may have been under another case.
        let mut was: HashMap<&str, String> = HashMap::new();
        for v in &caseload.victims {
            if known.victims.contains(&v.id)
                && let Some(stored) = self.victim_record(&v.id)?
            {
                was.insert(v.id.as_str(), stored.case_id);
            }
        }
        let edits = self.stage_records(&mut staged, caseload, known, facts, &was)?;
        self.stage_digest(&mut batch, edits)?;
        summary.unerased = self.stage_unerase(
            &mut batch,
            Record::Case,
            caseload.cases.iter().map(|c| c.id.as_str()),
        )?;
        summary.unerased.extend(self.stage_unerase(
            &mut batch,
            Record::Victim,
            caseload.victims.iter().map(|v| v.id.as_str()),
        )?);
        let detail = audit_detail(&summary, &replaced_ids);
        staged.commit(batch, &self.record("import", None, detail))?;
        Ok(summary)
    }

    /// Stages the cases and victims (their logs are staged already, `facts` being theirs,
    /// in the same order) with their stamps; returns the digest's edits for them.
    fn stage_records<'c>(
        &self,
        staged: &mut Staged<'_>,
        caseload: &'c Caseload,
        known: &KnownIds,
        facts: Vec<LogFacts>,
        was: &'c HashMap<&'c str, String>,
    ) -> Result<Vec<Edit<'c>>, StoreError> {
        let mut edits = Vec::with_capacity(caseload.cases.len() + 2 * caseload.victims.len());
        for c in &caseload.cases {
            staged.put(key(CASE, &c.id), encode(c))?;
            self.stage_stamp_after(staged, Record::Case, &c.id, known.cases.contains(&c.id))?;
            edits.push(Edit::Case(c));
        }
        for (v, f) in caseload.victims.iter().zip(facts) {
            staged.put(key(VICTIM, &v.id), encode(v))?;
            let stored = known.victims.contains(&v.id);
            self.stage_stamp_after(staged, Record::Victim, &v.id, stored)?;
            edits.extend(Self::victim_edits(
                v,
                was.get(v.id.as_str()).map(String::as_str),
                Some(f),
            ));
        }
        Ok(edits)
    }

    /// Stages an import's unit (kept unless replacing, or there is none yet) and its extra
    /// non-working days (added to the store's).
    fn stage_unit(
        &self,
        batch: &mut Batch,
        caseload: &Caseload,
        replace: bool,
    ) -> Result<(), StoreError> {
        if let Some(unit) = &caseload.unit
            && (replace || self.meta::<Unit>("unit")?.is_none())
        {
            batch.insert(key(META, "unit"), encode(unit));
        }
        if !caseload.extra_non_working_days.is_empty() {
            let mut days: Vec<NaiveDate> = self.meta("extra_days")?.unwrap_or_default();
            days.extend(&caseload.extra_non_working_days);
            days.sort_unstable();
            days.dedup();
            batch.insert(key(META, "extra_days"), encode(&days));
        }
        Ok(())
    }
}

/// The import's audit entry: what it brought, which ids it replaced, which erased ids came
/// back.
fn audit_detail(summary: &ImportSummary, replaced_ids: &[String]) -> Vec<String> {
    let mut detail = vec![format!(
        "{} officers, {} cases, {} victims, {} contacts; replaced: {}",
        summary.officers,
        summary.cases,
        summary.victims,
        summary.contacts,
        if replaced_ids.is_empty() {
            "none".to_owned()
        } else {
            replaced_ids.join(" ")
        }
    )];
    if !summary.unerased.is_empty() {
        detail.push(format!(
            "erased before, brought back: {}",
            summary.unerased.join(" ")
        ));
    }
    detail
}
