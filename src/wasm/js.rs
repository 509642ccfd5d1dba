//! The JS surface the binding uses. Everything on the event path goes
//! through `safe.js`: its functions never throw (getters, proxies,
//! `$CVO.push` and `ctx.log` can run page code that does), and each does all
//! the reading one step of the rules needs, in one crossing. The tag-loading
//! path, run once per page, uses `catch` imports.

use alloc::string::String;

use js_sys::{Array, Map};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The global object, for `$CVO` and `document`.
    pub type Global;
    /// `globalThis`.
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    pub static GLOBAL: Global;
    /// `globalThis.document`.
    #[wasm_bindgen(method, getter, catch)]
    pub fn document(this: &Global) -> Result<JsValue, JsValue>;
    /// The page's document.
    pub type Document;
    /// `document.scripts`.
    #[wasm_bindgen(method, getter, catch)]
    pub fn scripts(this: &Document) -> Result<Scripts, JsValue>;
    /// `document.head` (may be null).
    #[wasm_bindgen(method, getter, catch)]
    pub fn head(this: &Document) -> Result<JsValue, JsValue>;
    /// `document.documentElement`.
    #[wasm_bindgen(method, getter = documentElement, catch)]
    pub fn document_element(this: &Document) -> Result<JsValue, JsValue>;
    /// `document.createElement(name)`.
    #[wasm_bindgen(method, js_name = createElement, catch)]
    pub fn create_element(this: &Document, name: &str) -> Result<Script, JsValue>;

    /// `document.scripts`.
    pub type Scripts;
    /// `scripts.length`.
    #[wasm_bindgen(method, getter)]
    pub fn length(this: &Scripts) -> u32;
    /// `scripts[i]`.
    #[wasm_bindgen(method)]
    pub fn item(this: &Scripts, index: u32) -> Script;

    /// A `<script>` element (also used for its parent, as a plain element).
    pub type Script;
    /// `script.src`, resolved against the page's URL.
    #[wasm_bindgen(method, getter, catch)]
    pub fn src(this: &Script) -> Result<JsValue, JsValue>;
    /// `script.src = url`.
    #[wasm_bindgen(method, setter, catch)]
    pub fn set_src(this: &Script, url: &str) -> Result<(), JsValue>;
    /// `script.async = on`.
    #[wasm_bindgen(method, setter = async, catch)]
    pub fn set_async(this: &Script, on: bool) -> Result<(), JsValue>;
    /// `element.setAttribute(name, value)`.
    #[wasm_bindgen(method, js_name = setAttribute, catch)]
    pub fn set_attribute(this: &Script, name: &str, value: &str) -> Result<(), JsValue>;
    /// `element.addEventListener(type, listener)`.
    #[wasm_bindgen(method, js_name = addEventListener, catch)]
    pub fn add_event_listener(this: &Script, kind: &str, listener: &js_sys::Function) -> Result<(), JsValue>;
    /// `element.appendChild(child)`.
    #[wasm_bindgen(method, js_name = appendChild, catch)]
    pub fn append_child(this: &Script, child: &Script) -> Result<(), JsValue>;

    /// `performance.getEntriesByName(name)`: resources the browser has fetched.
    #[wasm_bindgen(js_namespace = performance, js_name = getEntriesByName, catch)]
    pub fn resource_entries(name: &str) -> Result<Array, JsValue>;
    /// `setTimeout(callback, ms)`.
    #[wasm_bindgen(js_name = setTimeout, catch)]
    pub fn set_timeout(callback: &js_sys::Function, ms: i32) -> Result<JsValue, JsValue>;

    /// `String(n)`: JavaScript's own number formatting.
    #[wasm_bindgen(js_name = String)]
    pub fn number_to_string(n: f64) -> js_sys::JsString;

}

#[wasm_bindgen(module = "/src/wasm/safe.js")]
extern "C" {
    /// Whether `get`, `keys` or `cvo` threw since the last `threw()`; resets.
    fn threw() -> bool;
    #[wasm_bindgen(js_name = get)]
    fn get_raw(target: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = keys)]
    fn keys_raw(target: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = cvo)]
    fn cvo_raw() -> JsValue;
    #[wasm_bindgen(js_name = isArray)]
    fn is_array_raw(value: &JsValue) -> u32;

    /// Holds `value` for [`held_text`], [`held_number`] and [`held`];
    /// returns its kind (see [`kinds`]).
    pub fn hold(value: &JsValue) -> u32;
    /// The held value, when it is a string.
    #[wasm_bindgen(js_name = heldText)]
    pub fn held_text() -> Option<String>;
    /// The held value, when it is a number.
    #[wasm_bindgen(js_name = heldNumber)]
    pub fn held_number() -> f64;
    /// The held value.
    pub fn held() -> JsValue;

    /// track: reads `ctx.event` and its name and looks the name up in
    /// `seen`: the code remembered (≥ 0), or one of [`answers`].
    pub fn track(ctx: &JsValue, seen: &Map) -> f64;
    /// The event's properties and keys, held for [`field`]: the code
    /// remembered in `seen` for the list of keys (≥ 0), or one of [`answers`].
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
    /// ([`kinds::THREW`] when reading threw).
    pub fn field(index: u32) -> u32;

    /// identify: reads `ctx.event.userId` and holds it: its kind, or
    /// [`answers::NO_EVENT`].
    pub fn identify(ctx: &JsValue) -> i32;
    /// Pushes `['trackUser', traits]`: a copy of the identify's traits with
    /// `id` set to the userId as read. Returns [`sent`] bits.
    #[wasm_bindgen(js_name = trackUser)]
    pub fn track_user() -> u32;
    /// Pushes `['trackEvent', { type, id, amount }]`, leaving out an
    /// undefined `id` or `amount`; false when the push failed.
    #[wasm_bindgen(js_name = trackEvent)]
    pub fn track_event(kind: &JsValue, id: &JsValue, amount: Option<f64>) -> bool;
    /// `window.$CVO`, made an array if it is undefined or null; undefined
    /// when it could not be read or set.
    pub fn queue() -> JsValue;
    /// `ctx.log('debug', message)`, if the context can log.
    pub fn log(ctx: &JsValue, message: &JsValue);
}

/// What [`hold`] and [`field`] return.
pub mod kinds {
    pub const UNDEFINED: u32 = 0;
    pub const NULL: u32 = 1;
    pub const FALSE: u32 = 2;
    pub const TRUE: u32 = 3;
    pub const NUMBER: u32 = 4;
    pub const STRING: u32 = 5;
    pub const BIGINT: u32 = 6;
    pub const SYMBOL: u32 = 7;
    pub const FUNCTION: u32 = 8;
    pub const OBJECT: u32 = 9;
    /// From [`super::field`]: reading threw.
    pub const THREW: u32 = 10;
}

/// What [`track`], [`properties`] and [`identify`] return besides a memo's code.
/// (Memo codes are whole numbers ≥ 0 below 2^53, so they come back as f64.)
pub mod answers {
    /// The context has no event object.
    pub const NO_EVENT: i32 = -1;
    /// The track name is not a string.
    pub const NOT_TEXT: i32 = -2;
    /// The properties are not an object.
    pub const NO_OBJECT: i32 = -1;
    /// Reading the properties or their keys threw.
    pub const UNREADABLE: i32 = -2;
    /// Not in the memo: the string is pending ([`super::text`]).
    pub const UNKNOWN: i32 = -3;
}

/// What [`track_user`] returns.
pub mod sent {
    /// The traits could not be read: sent with the id only.
    pub const TRAITS_UNREADABLE: u32 = 1;
    /// The push failed.
    pub const PUSH_FAILED: u32 = 2;
}

/// A read or call threw (a throwing getter or proxy).
#[derive(Debug)]
pub struct Thrown;

/// `value`, unless the safe call that gave it threw. `threw()` is only asked
/// when the value is `undefined`, which is all a throwing call returns.
fn checked(value: JsValue) -> Result<JsValue, Thrown> {
    if value.is_undefined() && threw() {
        Err(Thrown)
    } else {
        Ok(value)
    }
}

/// `Array.isArray(value)` (a revoked proxy throws).
pub fn is_array(value: &JsValue) -> Result<bool, Thrown> {
    match is_array_raw(value) {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Thrown),
    }
}

/// `target[key]`.
pub fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, Thrown> {
    checked(get_raw(target, key))
}

/// `Object.keys(target)`.
pub fn keys(target: &JsValue) -> Result<Array, Thrown> {
    checked(keys_raw(target)).map(JsCast::unchecked_into)
}

/// `window.$CVO` as it is, not made.
pub fn cvo() -> Result<JsValue, Thrown> {
    checked(cvo_raw())
}
