//! `vlu import` into the store: a caseload written in staged batches, all or nothing.

use super::engine::Batch;
use chrono::NaiveDate;

use super::digest::{CaseDigest, Edit, VictimDigest};
use super::return_facts::Basis;
use super::staged::{Stage, Staged};
use super::stamp::Record;
use super::{CASE, ImportSummary, META, OFFICER, Store, StoreError, VICTIM, encode, key};
use crate::domain::facts::LogFacts;
use crate::domain::model::{Case, Caseload, Unit, Victim};
use crate::domain::validate::{Incoming, KnownIds, NotRead, Problem};

/// Without `--replace`, an id already stored (or erased from the store) is refused. A file
/// is checked against the ids of the store it read; an import checks each id again against
/// the store it writes, which another import may have filled in between.
fn refuse_taken(kind: Record, id: &str, known: &KnownIds) -> Result<(), StoreError> {
    let (stored, erased) = match kind {
        Record::Victim => (&known.victims, &known.erased_victims),
        Record::Case => (&known.cases, &known.erased_cases),
    };
    if erased.contains(id) {
        return Err(StoreError::Refused(format!(
            "{id} was erased from this store (while this file was being checked); nothing \
             was imported: use --replace to bring it back, if it must come back"
        )));
    }
    if stored.contains(id) {
        return Err(taken(id));
    }
    Ok(())
}

fn taken(id: &str) -> StoreError {
    StoreError::Refused(format!(
        "the id {id} is already in the store (another import added it while this file was \
         being checked); nothing was imported: run the import again, with --replace to \
         overwrite"
    ))
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
    /// Imports a validated caseload, all or nothing. With `replace`, records whose ids are
    /// already stored are overwritten — a victim together with its contact log.
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
        let cases = std::mem::take(&mut caseload.cases);
        let victims = std::mem::take(&mut caseload.victims);
        let imported = self.import_records(replace, |each| {
            for c in cases {
                each(Incoming::Case(c)).map_err(NotRead::Stopped)?;
            }
            for v in victims {
                each(Incoming::Victim(v)).map_err(NotRead::Stopped)?;
                step();
            }
            Ok(caseload)
        })?;
        imported.map_err(|problems| {
            StoreError::Refused(
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    }

    /// An import whose cases and victims come one at a time: `read` hands each to the
    /// function it is given, which stages it at once, and returns the rest of the caseload
    /// (its cases and victims handed over). All or nothing: should `read` find the file unreadable, or anything
    /// fail, whatever was staged is undone. A victim, case or officer already stored is
    /// refused unless `replace`.
    ///
    /// # Errors
    /// The store's failure; the file's problems, as `read` found them, are `Ok(Err(..))`.
    pub fn import_records(
        &self,
        replace: bool,
        read: impl FnOnce(
            &mut dyn FnMut(Incoming) -> Result<(), StoreError>,
        ) -> Result<Caseload, NotRead<StoreError>>,
    ) -> Result<Result<ImportSummary, Vec<Problem>>, StoreError> {
        self.in_turn(|| {
            let known = self.known_ids()?;
            // The return's facts of the victims the import writes (and of its cases'
            // victims) are worked out once it is in, not victim by victim as it goes: a
            // victim's case may come later in the file. Until then none are kept; should
            // the import fail, the next return works them all out.
            let kept = self.return_basis()?;
            if kept.is_some() {
                self.forget_kept_facts()?;
            }
            let mut intake = Intake::new(self, known, replace)?;
            let read = read(&mut |incoming| match incoming {
                Incoming::Case(c) => intake.case(&c),
                Incoming::Victim(v) => intake.victim(v),
            });
            let written = match read {
                Ok(rest) => intake
                    .finish(&rest)
                    .map(|(summary, cases)| Ok((summary, cases))),
                Err(NotRead::File(problems)) => Ok(Err(problems)),
                Err(NotRead::Stopped(e)) => Err(e),
            };
            let written = match written {
                Ok(Ok((summary, touched))) => {
                    if let Some(basis) = &kept {
                        self.keep_facts_after_import(basis, &touched);
                    }
                    return Ok(Ok(summary));
                }
                Ok(Err(problems)) => Ok(Err(problems)),
                Err(e) => Err(e),
            };
            if self.usable().is_ok() {
                // Whatever was applied goes, now; if even that fails (the disk that stopped
                // the import may have no room to undo it either), or the engine is stuck, on
                // the next open, before anything is read. The import's own error (or the
                // file's) is the one to report.
                let _ = self.undo_unfinished();
            }
            written
        })
    }

    /// Works out again the return's facts of what an import wrote; should that fail, the
    /// import is in all the same, and the next return works them out instead.
    fn keep_facts_after_import(&self, basis: &Basis, Written { victims, cases }: &Written) {
        let kept = if victims.len() + cases.len() > FEW {
            // Many: read the whole unit in order, as a return does, not one by one.
            self.keep_facts_afresh_in_turn(basis, |_| {})
        } else {
            self.keep_facts_of(victims, cases, basis)
        };
        if let Err(e) = kept {
            tracing::warn!(error = %e, "the return's facts were not kept after an import");
        }
    }
}

/// The victims and the cases an import wrote.
struct Written {
    victims: Vec<String>,
    cases: Vec<String>,
}

/// Records an import may write before the return's facts are better worked out again for
/// the whole unit, read in order, than for those records, read one by one.
const FEW: usize = 2_000;

/// An import as it goes: each case and victim staged as it comes (a victim's log, the
/// record, its stamp), and what the last batch needs of it kept — its digest, the case a
/// victim left, its id.
struct Intake<'s> {
    store: &'s Store,
    staged: Staged<'s>,
    known: KnownIds,
    replace: bool,
    /// The cases staged, in order, and their digests.
    cases: Vec<String>,
    case_digests: Vec<CaseDigest>,
    /// The victims staged, in order, and their digests.
    victims: Vec<String>,
    digests: Vec<VictimDigest>,
    /// A replaced victim that moved case: the case it left, and the victim.
    left: Vec<(String, String)>,
    contacts: usize,
}

impl<'s> Intake<'s> {
    fn new(store: &'s Store, known: KnownIds, replace: bool) -> Result<Self, StoreError> {
        Ok(Self {
            store,
            staged: Staged::new(store)?,
            known,
            replace,
            cases: Vec::new(),
            case_digests: Vec::new(),
            victims: Vec::new(),
            digests: Vec::new(),
            left: Vec::new(),
            contacts: 0,
        })
    }

    /// Stages one case, with its stamp.
    fn case(&mut self, c: &Case) -> Result<(), StoreError> {
        let stored = self.known.cases.contains(&c.id);
        if !self.replace {
            refuse_taken(Record::Case, &c.id, &self.known)?;
        }
        self.staged.put(key(CASE, &c.id), encode(c))?;
        self.store
            .stage_stamp_after(&mut self.staged, Record::Case, &c.id, stored)?;
        self.case_digests.push(CaseDigest::of(c));
        self.cases.push(c.id.clone());
        Ok(())
    }

    /// Stages one victim, with its log and its stamp.
    fn victim(&mut self, mut v: Victim) -> Result<(), StoreError> {
        let stored = self.known.victims.contains(&v.id);
        if !self.replace {
            refuse_taken(Record::Victim, &v.id, &self.known)?;
        }
        let log = std::mem::take(&mut v.contacts);
        Store::stage_log(&mut self.staged, &v.id, &log)?;
        let facts = LogFacts::of(&log);
        self.contacts += log.len();
        drop(log);
        // A replaced victim may have been under another case.
        if stored
            && let Some(was) = self.store.victim_record(&v.id)?
            && was.case_id != v.case_id
        {
            self.left.push((was.case_id, v.id.clone()));
        }
        self.staged.put(key(VICTIM, &v.id), encode(&v))?;
        self.store
            .stage_stamp_after(&mut self.staged, Record::Victim, &v.id, stored)?;
        self.digests.push(VictimDigest::of(&v, facts));
        self.victims.push(v.id);
        Ok(())
    }

    /// Stages the rest of the caseload (officers, the unit), then the digest, the erasures
    /// undone and the audit record in the last batch: the commit point. Returns the summary,
    /// and the victims and the cases written.
    fn finish(mut self, rest: &Caseload) -> Result<(ImportSummary, Written), StoreError> {
        let store = self.store;
        let known = &self.known;
        if !self.replace
            && let Some(o) = rest
                .officers
                .iter()
                .find(|o| known.officers.contains(&o.id))
        {
            return Err(taken(&o.id));
        }
        let mut batch = Batch::default();
        store.stage_unit(&mut batch, rest, self.replace)?;
        for o in &rest.officers {
            self.staged.put(key(OFFICER, &o.id), encode(o))?;
        }
        let mut edits =
            Vec::with_capacity(self.case_digests.len() + self.left.len() + self.digests.len());
        edits.extend(
            self.case_digests
                .into_iter()
                .map(|d| Edit::MadeCase(Box::new(d))),
        );
        edits.extend(
            self.left
                .iter()
                .map(|(case, victim)| Edit::Leave { case, victim }),
        );
        edits.extend(self.digests.into_iter().map(|d| Edit::Made(Box::new(d))));
        store.stage_digest(&mut batch, edits)?;
        let replaced: Vec<String> = rest
            .officers
            .iter()
            .filter(|o| known.officers.contains(&o.id))
            .map(|o| o.id.clone())
            .chain(
                self.cases
                    .iter()
                    .filter(|c| known.cases.contains(*c))
                    .cloned(),
            )
            .chain(
                self.victims
                    .iter()
                    .filter(|v| known.victims.contains(*v))
                    .cloned(),
            )
            .collect();
        let mut summary = ImportSummary {
            officers: rest.officers.len(),
            cases: self.cases.len(),
            victims: self.victims.len(),
            contacts: self.contacts,
            replaced: replaced.len(),
            unerased: Vec::new(),
        };
        summary.unerased = store.stage_unerase(
            &mut batch,
            Record::Case,
            self.cases.iter().map(String::as_str),
        )?;
        summary.unerased.extend(store.stage_unerase(
            &mut batch,
            Record::Victim,
            self.victims.iter().map(String::as_str),
        )?);
        let detail = audit_detail(&summary, &replaced);
        self.staged
            .commit(batch, &store.record("import", None, detail))?;
        Ok((
            summary,
            Written {
                victims: self.victims,
                cases: self.cases,
            },
        ))
    }
}

impl Store {
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
