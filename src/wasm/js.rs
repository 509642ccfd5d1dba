//! The JS surface the binding uses, imported once, each call that may run
//! page code marked `catch`.

use alloc::string::String;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// analytics.js's `Context`.
    pub type Ctx;
    /// `ctx.event`.
    #[wasm_bindgen(method, getter, catch)]
    pub fn event(this: &Ctx) -> Result<JsValue, JsValue>;
    /// `ctx.log(level, message)`.
    #[wasm_bindgen(method, catch)]
    pub fn log(this: &Ctx, level: &str, message: &str) -> Result<(), JsValue>;

    /// analytics.js's event object.
    pub type Event;
    /// `event.event`: the track name.
    #[wasm_bindgen(method, getter = event, catch)]
    pub fn name(this: &Event) -> Result<JsValue, JsValue>;
    /// `event.properties`.
    #[wasm_bindgen(method, getter, catch)]
    pub fn properties(this: &Event) -> Result<JsValue, JsValue>;
    /// `event.userId`.
    #[wasm_bindgen(method, getter = userId, catch)]
    pub fn user_id(this: &Event) -> Result<JsValue, JsValue>;
    /// `event.traits`.
    #[wasm_bindgen(method, getter, catch)]
    pub fn traits(this: &Event) -> Result<JsValue, JsValue>;

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
    /// `globalThis.$CVO`.
    #[wasm_bindgen(method, getter = "$CVO", catch)]
    pub fn cvo(this: &Global) -> Result<JsValue, JsValue>;
    /// `globalThis.$CVO = …`.
    #[wasm_bindgen(method, setter = "$CVO", catch)]
    pub fn set_cvo(this: &Global, value: &JsValue) -> Result<(), JsValue>;

    /// Convertro's queue: an array until the tag takes it over.
    pub type Queue;
    /// `$CVO.push(command)`.
    #[wasm_bindgen(method, catch)]
    pub fn push(this: &Queue, command: &Array) -> Result<JsValue, JsValue>;
    /// `$CVO.trackEvent`, defined by Convertro's tag.
    #[wasm_bindgen(method, getter = trackEvent, catch)]
    pub fn track_event(this: &Queue) -> Result<JsValue, JsValue>;

    /// The page's document.
    pub type Document;
    /// `document.readyState`.
    #[wasm_bindgen(method, getter = readyState, catch)]
    pub fn ready_state(this: &Document) -> Result<String, JsValue>;
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

    /// `String(n)`: JavaScript's own number formatting.
    #[wasm_bindgen(js_name = String)]
    pub fn number_to_string(n: f64) -> js_sys::JsString;

    /// `Object.keys(value)`.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    /// `Object.entries(value)`.
    #[wasm_bindgen(js_namespace = Object, js_name = entries, catch)]
    pub fn object_entries(value: &JsValue) -> Result<Array, JsValue>;
    /// `Object.fromEntries(entries)`: own data properties, so a `__proto__`
    /// key stays a plain key instead of setting the prototype.
    #[wasm_bindgen(js_namespace = Object, js_name = fromEntries, catch)]
    pub fn object_from_entries(entries: &Array) -> Result<Object, JsValue>;
    /// `Array.isArray(value)` (throws on a revoked proxy).
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// The array of an object's keys.
    type Keys;
    /// `keys.join(separator)`, with a separator made once.
    #[wasm_bindgen(method, js_name = join)]
    fn join_with(this: &Keys, separator: &JsValue) -> JsValue;
    /// `Reflect.get(target, key)`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
}

/// `object.id = value` on an object this binding made.
pub fn set_id(object: &Object, value: &JsValue) {
    object.unchecked_ref::<Payload>().set_id(value)
}

/// `keys.join(separator)`.
pub fn join(keys: &Array, separator: &JsValue) -> JsValue {
    keys.unchecked_ref::<Keys>().join_with(separator)
}
