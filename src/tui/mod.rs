//! The screens: a caseload, a diary and a contact log a VLO can work in all day.

pub mod action;
pub mod app;
pub mod clock;
pub mod draw;
pub mod form;
pub mod glyphs;
pub mod keymap;
pub mod run;
