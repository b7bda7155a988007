//! Evaluations of Parallax's stages on third-party corpora (`../shared/data`), each scored by
//! the corpus's own rules. Reads files; no network.

pub mod clustering;
pub mod extraction;
pub mod feeds;
