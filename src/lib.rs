//! Segment's Convertro destination for analytics.js 2.0.
//!
//! The crate has two layers:
//! - [`rules`]: the pure core. Settings, property lookups, amounts, event-name
//!   matching and event → command translation, in plain Rust with no JS types.
//!   It is tested natively with `cargo test`.
//! - `wasm` (only on `wasm32`): the thin binding. It reads from JS values what
//!   the core asks for, injects Convertro's tag and pushes the commands the core
//!   returns onto `window.$CVO`.
#![deny(missing_docs)]
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod allocator;

pub mod rules;
mod text;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
