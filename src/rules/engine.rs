//! What the rules borrow from the JavaScript engine they run beside.
//!
//! Segment's integration reads amounts with JavaScript's `parseFloat` and
//! compares event names after `String.prototype.toLowerCase`. The wasm
//! build asks the browser for both, so that it reads exactly what Segment's
//! JavaScript reads, and ships no float parser and no Unicode case tables.
//! Native callers (and the tests) use [`Native`], the same in Rust.

use alloc::string::String;

/// The engine's `parseFloat` and `toLowerCase`.
pub trait Engine {
    /// JavaScript's `parseFloat(s)`.
    fn parse_float(&self, s: &str) -> f64;
    /// JavaScript's `s.toLowerCase()`. The rules call it only for text
    /// that is not ASCII; ASCII they lower-case themselves.
    fn to_lower_case(&self, s: &str) -> String;
}

/// The engine's functions written in Rust: [`parse_float`](super::parse_float)
/// and [`str::to_lowercase`] (the same mappings as JavaScript's, final sigma
/// included, up to the Unicode version each was built with).
#[derive(Debug, Clone, Copy, Default)]
pub struct Native;

impl Engine for Native {
    fn parse_float(&self, s: &str) -> f64 {
        super::amount::parse_float(s)
    }

    fn to_lower_case(&self, s: &str) -> String {
        s.to_lowercase()
    }
}
