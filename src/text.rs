//! Small string helpers that keep `core::fmt` and generic joins out of the wasm.

use alloc::string::String;

/// The pieces one after another.
pub fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// `n` in decimal, without pulling in `core::fmt`.
pub fn decimal(n: u64) -> String {
    let mut out = String::new();
    let mut unit = 1;
    while unit <= n / 10 {
        unit *= 10;
    }
    while unit > 0 {
        out.push(char::from(b'0' + (n / unit % 10) as u8));
        unit /= 10;
    }
    out
}
