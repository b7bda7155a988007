//! Evaluations of Parallax's stages on third-party corpora (`../shared/data`), each scored by
//! the corpus's own rules, and on Parallax's own labelled fixtures. Reads files; no network.

pub mod analysis;
pub mod clustering;
pub mod extraction;
pub mod feeds;
