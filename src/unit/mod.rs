//! What the unit does, above its store and below its faces: the operations the command line,
//! the unit service and the screens share — the diary worked out and written, the status
//! counts, the store's check. Nothing here reads a terminal, the command line or the
//! environment: the service stands on this layer and never on the command line.

pub mod access;
pub mod api;
pub mod audit;
pub mod check;
pub mod command;
pub mod diary;
pub mod export;
pub mod import;
pub mod ink;
pub mod lens;
pub mod one_case;
pub mod status;
pub mod transfer;
pub mod window;
