//! Measurement only (scripts/crate-costs.mjs), never shipped: the shipped
//! binding, whose exports come with the `convertro` crate, plus one export
//! that uses the crate a feature names. Built without a feature, it is the
//! shipped binding alone, the baseline of the table.
#![no_std]

// Every export of the binding (src/wasm/: make and the calls by number).
pub use convertro::wasm::*;

#[cfg(any(feature = "window", feature = "gloo", feature = "swb-settings"))]
use wasm_bindgen::prelude::*;

/// The document through `web_sys::window()`.
#[cfg(feature = "window")]
#[wasm_bindgen]
pub fn cost(_: &JsValue) -> bool {
    web_sys::window().and_then(|window| window.document()).is_some()
}

/// The document through gloo-utils.
#[cfg(feature = "gloo")]
#[wasm_bindgen]
pub fn cost(_: &JsValue) -> bool {
    gloo_utils::document().has_focus().unwrap_or(false)
}

/// The settings read with serde-wasm-bindgen (and, with `swb-events`, an
/// event's properties too).
#[cfg(feature = "swb-settings")]
#[wasm_bindgen]
pub fn cost(settings: &JsValue, properties: &JsValue) -> bool {
    let parsed = serde_wasm_bindgen::from_value::<convertro::rules::Settings>(settings.clone()).is_ok();
    #[cfg(feature = "swb-events")]
    let parsed = parsed && serde_wasm_bindgen::from_value::<convertro::rules::Value>(properties.clone()).is_ok();
    #[cfg(not(feature = "swb-events"))]
    let _ = properties;
    parsed
}
