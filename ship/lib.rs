//! The shipped wasm: the convertro crate's binding, built as a cdylib of its
//! own (see Cargo.toml beside this file for why).
#![no_std]

pub use convertro::wasm::{adopt, identify, is_loaded, load, make, pagehide, pageshow, tick, track};
