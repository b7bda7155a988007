//! The demo's fictional outlets, served for real on loopback: each outlet on its own port,
//! with its own page template (navigation, share buttons, newsletter boxes, "read also"
//! lists, comments, disclaimers) and its own feed format (RSS 2.0, RSS 1.0, Atom, JSON Feed).
//!
//! The same data is the end-to-end test fixture: every article names the event it reports,
//! so a test can check that Parallax's stories come out as designed.

mod fixture;
mod render;
mod server;

pub use fixture::{load_fixture, Fixture, FixtureArticle, FixtureOutlet};
pub use server::{DemoOptions, DemoWeb, RunningOutlet};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("bundled demo data is invalid: {0}")]
    Data(String),
    #[error("cannot start a demo outlet: {0}")]
    Bind(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, Error>;
