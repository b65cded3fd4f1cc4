//! Shared test helpers.
pub mod frames;
