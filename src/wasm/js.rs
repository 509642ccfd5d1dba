//! The JS surface the binding uses. Everything that reads the page's values
//! goes through `safe.js`: its functions never throw (getters, proxies,
//! `$CVO.push` and `ctx.log` can run page code that does), and each does all
//! the reading one step of the rules needs, in one crossing. The tag-loading
//! path, run once per page, uses web-sys (`tag.rs`).

use alloc::string::String;

use js_sys::Map;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/safe.js")]
extern "C" {
    /// The settings object's values under `keys` (joined by `"\0"`), in the
    /// encoding `read::settings` decodes (see `settings` in safe.js).
    pub fn settings(value: &JsValue, keys: &str) -> String;
    /// The kind of `window.$CVO.trackEvent` (see [`codes`]).
    pub fn loaded() -> i32;

    /// The held value, when it is a string.
    #[wasm_bindgen(js_name = heldText)]
    pub fn held_text() -> Option<String>;
    /// The held value, when it is a number.
    #[wasm_bindgen(js_name = heldNumber)]
    pub fn held_number() -> f64;

    /// track: reads `ctx.event` and its name and looks the name up in
    /// `seen`: the code remembered (≥ 0), or one of the `ANSWER_` [`codes`].
    pub fn track(ctx: &JsValue, seen: &Map) -> f64;
    /// The event's properties and keys, held for [`field`]: the code
    /// remembered in `seen` for the list of keys (≥ 0), or one of the
    /// `ANSWER_` [`codes`].
    pub fn properties(seen: &Map) -> f64;
    /// The string the last memo lookup did not find: an event name, or the
    /// keys joined as "k1\0k2\0…\0count".
    pub fn text() -> Option<String>;
    /// Remembers `code` for the string [`text`] gives, in `seen`, which is
    /// emptied first when it holds `capacity` entries.
    pub fn remember(seen: &Map, code: f64, capacity: u32);
    /// How many keys the properties have.
    #[wasm_bindgen(js_name = keyCount)]
    pub fn key_count() -> u32;
    /// Key number `index` of the properties.
    pub fn key(index: u32) -> Option<String>;
    /// Reads property key number `index`, holds it and returns its kind
    /// (`KIND_THREW` when reading threw).
    pub fn field(index: u32) -> i32;

    /// The held event's `context.consent.categoryPreferences`, held for
    /// [`granted`]: its kind (`KIND_UNDEFINED` without a context or a
    /// consent object, `KIND_THREW` when reading threw).
    pub fn consent() -> i32;
    /// A JS array of the `"\0"`-separated names in `joined`.
    pub fn list(joined: &str) -> JsValue;
    /// Reads the held preferences' value under `categories[index]` and
    /// holds it: its kind.
    pub fn granted(categories: &JsValue, index: u32) -> i32;

    /// identify: reads `ctx.event.userId` and holds it: its kind, or
    /// `ANSWER_NO_EVENT`.
    pub fn identify(ctx: &JsValue) -> i32;
    /// Pushes `['trackUser', traits]`: a copy of the identify's traits with
    /// `id` set to the userId as read. Returns `SENT_` bits.
    #[wasm_bindgen(js_name = trackUser)]
    pub fn track_user() -> i32;
    /// Pushes `['trackEvent', { type, id, amount }]`: `type` is
    /// `types[type_index]`, `id` the value read
    /// from property key number `id_key` as a string (left out when
    /// negative), `amount` is left out when `None`; false when the push
    /// failed.
    #[wasm_bindgen(js_name = trackEvent)]
    pub fn track_event(types: &JsValue, type_index: u32, id_key: i32, amount: Option<f64>) -> bool;
    /// `window.$CVO`, made an array if it is undefined or null; undefined
    /// when it could not be read or set.
    pub fn queue() -> JsValue;
    /// `ctx.log('debug', line)` with debug line `number`, if the context
    /// can log; false when that line is not known yet (give it with
    /// [`log_line`]).
    pub fn logged(ctx: &JsValue, number: u32) -> bool;
    /// Remembers debug line `number` and logs it as [`logged`] does.
    #[wasm_bindgen(js_name = logLine)]
    pub fn log_line(ctx: &JsValue, number: u32, line: &str);
}

/// The numbers safe.js and the Rust half exchange: kinds of value
/// (`KIND_`), answers that are not memo codes (`ANSWER_`), the bits
/// `trackUser` returns (`SENT_`) and how much `settings` reads. Defined once,
/// in safe.js; build.rs generates this module from there.
#[allow(dead_code)]
pub mod codes {
    include!(concat!(env!("OUT_DIR"), "/codes.rs"));
}
