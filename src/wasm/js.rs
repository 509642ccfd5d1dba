//! The JS surface the binding uses. Calls that may run page code on the
//! event path (getters, proxies, `$CVO.push`, `ctx.log`) go through
//! `safe.js`, whose functions never throw; the tag-loading path, run once per
//! page, uses `catch` imports.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A payload being filled in: a fresh plain object, so its setters run no
    /// page code and are imported without `catch`.
    #[wasm_bindgen(extends = Object)]
    pub type Payload;
    /// `payload.type = …`.
    #[wasm_bindgen(method, setter = type)]
    pub fn set_type(this: &Payload, value: &JsValue);
    /// `payload.id = …`.
    #[wasm_bindgen(method, setter = id)]
    pub fn set_id(this: &Payload, value: &JsValue);
    /// `payload.amount = …`.
    #[wasm_bindgen(method, setter = amount)]
    pub fn set_amount(this: &Payload, value: f64);

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

    /// The array of an object's keys.
    type Keys;
    /// `keys.join(separator)`, with a separator made once.
    #[wasm_bindgen(method, js_name = join)]
    fn join_with(this: &Keys, separator: &JsValue) -> JsValue;
}

/// `object.id = value` on an object this binding made.
pub fn set_id(object: &Object, value: &JsValue) {
    object.unchecked_ref::<Payload>().set_id(value)
}

#[wasm_bindgen(module = "/src/wasm/safe.js")]
extern "C" {
    /// Whether a safe call threw since the last `threw()`; resets.
    fn threw() -> bool;
    #[wasm_bindgen(js_name = get)]
    fn get_raw(target: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = event)]
    fn event_raw(ctx: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = name)]
    fn name_raw(event: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = properties)]
    fn properties_raw(event: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = keys)]
    fn keys_raw(target: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = copy)]
    fn copy_raw(target: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = queue)]
    fn queue_raw() -> JsValue;
    #[wasm_bindgen(js_name = isArray)]
    fn is_array_raw(value: &JsValue) -> u32;
    /// The type of `value` as a number, see [`kinds`].
    pub fn kind(value: &JsValue) -> u32;
    /// Reads `target[keys[index]]`, holds it if it is a number or a string,
    /// and returns its kind ([`kinds::THREW`] if the read threw).
    pub fn field(target: &JsValue, keys: &Array, index: u32) -> u32;
    /// The number [`field`] held.
    #[wasm_bindgen(js_name = heldNumber)]
    pub fn held_number() -> f64;
    /// The string [`field`] held.
    #[wasm_bindgen(js_name = held)]
    pub fn held_value() -> JsValue;
    /// `globalThis.$CVO = value`; false if that threw.
    #[wasm_bindgen(js_name = setQueue)]
    pub fn set_queue(value: &JsValue) -> bool;
    /// `queue.push(command)`; false if that threw.
    pub fn push(queue: &JsValue, command: &JsValue) -> bool;
    /// `ctx.log('debug', message)`, if the context can log.
    pub fn log(ctx: &JsValue, message: &JsValue);
}

/// What [`kind`] returns.
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

/// `ctx.event`.
pub fn event(ctx: &JsValue) -> Result<JsValue, Thrown> {
    checked(event_raw(ctx))
}

/// `event.event`: the track name.
pub fn name(event: &JsValue) -> Result<JsValue, Thrown> {
    checked(name_raw(event))
}

/// `event.properties`.
pub fn properties(event: &JsValue) -> Result<JsValue, Thrown> {
    checked(properties_raw(event))
}

/// `Object.keys(target)`.
pub fn keys(target: &JsValue) -> Result<Array, Thrown> {
    checked(keys_raw(target)).map(JsCast::unchecked_into)
}

/// A copy of `target`'s own enumerable properties, as data properties.
pub fn copy(target: &JsValue) -> Result<Object, Thrown> {
    checked(copy_raw(target)).map(JsCast::unchecked_into)
}

/// `globalThis.$CVO`.
pub fn queue() -> Result<JsValue, Thrown> {
    checked(queue_raw())
}

/// `keys.join(separator)`.
pub fn join(keys: &Array, separator: &JsValue) -> JsValue {
    keys.unchecked_ref::<Keys>().join_with(separator)
}

