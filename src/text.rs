//! Small string helpers that keep `core::fmt` and generic joins out of the wasm.

use alloc::string::String;

/// The pieces one after another.
pub fn cat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}
