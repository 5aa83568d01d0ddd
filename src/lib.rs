//! vlu: the caseload, diary and contact log of a probation Victim Liaison Unit.
//!
//! `domain` is pure (types, validation, calendar, reminder rules); `store` keeps the records
//! and their rules over a storage engine (`store::engine`, the only code that names the
//! engine it runs on); `unit` is what the unit does above it (every change a `Command`, who
//! may make it, the operations every face shares); `service`, `tui` and `cli` are its faces.
//! docs/ARCHITECTURE.md has the layers and which way imports go.

pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod fsutil;
pub mod generate;
pub mod letters;
pub mod logging;
pub mod par;
pub mod service;
pub mod signals;
pub mod store;
pub mod table;
pub mod tui;
pub mod unit;
