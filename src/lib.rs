//! vlu: the caseload, diary and contact log of a probation Victim Liaison Unit.
//!
//! `domain` is pure (types, validation, calendar, reminder rules); `store` is the only code
//! that touches sled; `cli` sits on top.

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
