//! The `parallax` binary's library half: configuration and commands, so integration tests
//! can drive the same code the binary runs.

pub mod app;
pub mod config;
pub mod tools;
