//! The shipped wasm: the convertro crate's binding, built as a cdylib of its
//! own (see Cargo.toml beside this file for why).
#![no_std]

// Every export of the binding (src/wasm/: make and the calls by number).
pub use convertro::wasm::*;
