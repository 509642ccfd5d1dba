//! Reading JS values into the core's [`Value`]s, reading only what is asked.

use alloc::borrow::ToOwned;
use alloc::vec::Vec;

use js_sys::{Array, JsString, Object};
use wasm_bindgen::prelude::*;

use super::js;
use crate::rules::{Fields, Record, Settings, Skip, Value};

/// Longest settings string copied into wasm; longer ones are refused unread.
const MAX_SETTING_CHARS: u32 = 4096;
/// Most array elements or object keys read from one settings value.
const MAX_SETTING_ENTRIES: u32 = 1000;

/// `ctx.event`, when it is an object (reading it from `null` or `undefined`
/// throws, and is caught).
pub fn event(ctx: &JsValue) -> Option<JsValue> {
    js::event(ctx).ok().filter(JsValue::is_object)
}

/// A value the rules treat as a scalar; objects are only named.
pub fn scalar(value: &JsValue) -> Value {
    use js::kinds::*;
    match js::kind(value) {
        UNDEFINED => Value::Undefined,
        NULL => Value::Null,
        FALSE => Value::Bool(false),
        TRUE => Value::Bool(true),
        // A number primitive: `+value` runs no page code.
        NUMBER => Value::Number(value.unchecked_into_f64()),
        STRING => value.as_string().map_or(Value::Undefined, Value::String),
        BIGINT => Value::Other("a bigint"),
        SYMBOL => Value::Other("a symbol"),
        FUNCTION => Value::Other("a function"),
        _ if js::is_array(value).unwrap_or(false) => Value::Other("an array"),
        _ => Value::Other("an object"),
    }
}

/// A shallow copy of an object's own enumerable properties; an empty object
/// for anything that is not a plain object; `None` when reading threw.
pub fn copy(value: &JsValue) -> Option<Object> {
    match js::is_array(value) {
        _ if !value.is_object() => Some(Object::new()),
        Ok(false) => js::copy(value).ok(),
        Ok(true) => Some(Object::new()),
        Err(_) => None,
    }
}

/// An event's properties, read lazily for the rules.
pub struct Properties<'a> {
    event: &'a JsValue,
    nul: &'a JsValue,
    seen: &'a Memo,
    object: JsValue,
    keys: Option<Array>,
    /// The values read so far, by key index, as JS values: sent back as they
    /// are (a string id is not re-encoded, so even lone surrogates survive).
    read: Vec<(usize, JsValue)>,
}

impl<'a> Properties<'a> {
    /// The properties of `event`; nothing is read yet. `nul` is the JS
    /// string `"\0"`, made once by the caller.
    pub fn of(event: &'a JsValue, nul: &'a JsValue, seen: &'a Memo) -> Properties<'a> {
        Properties { event, nul, seen, object: JsValue::UNDEFINED, keys: None, read: Vec::new() }
    }

    /// The JS value read for key number `index`, if it was read.
    pub fn original(&self, index: usize) -> Option<&JsValue> {
        self.read.iter().find(|(i, _)| *i == index).map(|(_, value)| value)
    }
}

impl Record for Properties<'_> {
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip> {
        self.object = js::properties(self.event).map_err(|_| Skip::PropertiesUnreadable)?;
        if !self.object.is_object() {
            return Err(Skip::NoProperties);
        }
        let keys = js::keys(&self.object).map_err(|_| Skip::PropertiesUnreadable)?;
        let count = keys.length() as usize;
        if count > 0 {
            // The keys and their count joined into one JS string, "k1\0k2\02":
            // the fields found for that string before are remembered;
            // otherwise it crosses into wasm once, instead of one crossing
            // per key. With the count at the end, two key lists give the same
            // string only if they are the same keys.
            keys.push(&JsValue::from(count as u32));
            let joined = js::join(&keys, self.nul);
            keys.pop();
            if let Some(bits) = self.seen.get(&joined) {
                *fields = Fields::unpack(bits as u64);
            } else {
                let text = joined.as_string().unwrap_or_default();
                // Exact unless a key holds the separator itself.
                if text.bytes().filter(|&b| b == 0).count() == count {
                    text.split('\0').take(count).enumerate().for_each(|(index, key)| fields.offer(index, key));
                    if let Some(bits) = fields.pack() {
                        self.seen.remember(&joined, bits as f64);
                    }
                } else {
                    for index in 0..count {
                        fields.offer(index, &keys.get(index as u32).as_string().unwrap_or_default());
                    }
                }
            }
        }
        self.keys = Some(keys);
        Ok(())
    }

    fn value(&mut self, index: usize) -> Value {
        use js::kinds::*;
        let Some(keys) = &self.keys else { return Value::Undefined };
        match js::field(&self.object, keys, index as u32) {
            UNDEFINED => Value::Undefined,
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            NUMBER => Value::Number(js::held_number()),
            STRING => {
                let value = js::held_value();
                let text = value.as_string().unwrap_or_default();
                self.read.push((index, value));
                Value::String(text)
            }
            BIGINT => Value::Other("a bigint"),
            SYMBOL => Value::Other("a symbol"),
            FUNCTION => Value::Other("a function"),
            OBJECT => Value::Other("an object"),
            THREW => Value::Unreadable,
            _ => Value::Other("an object"),
        }
    }
}

/// Answers remembered per JS string (an event name, a list of keys), so that
/// a string seen before need not be copied into wasm again. A JS `Map`,
/// emptied when it reaches [`Memo::CAPACITY`] entries: memory stays bounded
/// however many distinct strings a page sends.
pub struct Memo(js_sys::Map);

impl Memo {
    /// Most entries kept.
    pub const CAPACITY: u32 = 512;

    /// An empty memo.
    pub fn new() -> Memo {
        Memo(js_sys::Map::new())
    }

    /// The number remembered for `key`.
    pub fn get(&self, key: &JsValue) -> Option<f64> {
        let value = self.0.get(key);
        (!value.is_undefined()).then(|| value.unchecked_into_f64())
    }

    /// Remembers `value` for `key`.
    pub fn remember(&self, key: &JsValue, value: f64) {
        if self.0.size() >= Memo::CAPACITY {
            self.0.clear();
        }
        self.0.set(key, &JsValue::from_f64(value));
    }
}

/// The settings the rules read, as a [`Value::Map`] of [`Settings::KEYS`];
/// other keys are never touched.
pub fn settings(value: &JsValue) -> Value {
    if !value.is_object() {
        return scalar(value);
    }
    match js::is_array(value) {
        Ok(false) => {}
        Ok(true) => return Value::List(Vec::new()),
        Err(_) => return Value::Unreadable,
    }
    let entries = Settings::KEYS
        .iter()
        .map(|&key| {
            let value = match js::get(value, &JsValue::from_str(key)) {
                Ok(v) => setting(&v, 2),
                Err(_) => Value::Unreadable,
            };
            (key.to_owned(), value)
        })
        .collect();
    Value::Map(entries)
}

/// One settings value, read `depth` levels of arrays and objects deep, with
/// sizes bounded so that a huge value is refused quickly.
fn setting(value: &JsValue, depth: u8) -> Value {
    if let Some(text) = value.dyn_ref::<JsString>() {
        if text.length() > MAX_SETTING_CHARS {
            return Value::Other("a string that is too long");
        }
    }
    if !value.is_object() {
        return scalar(value);
    }
    if depth == 0 {
        return scalar(value);
    }
    let Ok(is_array) = js::is_array(value) else { return Value::Unreadable };
    if is_array {
        let array: &Array = value.unchecked_ref();
        if array.length() > MAX_SETTING_ENTRIES {
            return Value::Other("an array that is too long");
        }
        let mut items = Vec::new();
        for index in 0..array.length() {
            match js::get(value, &JsValue::from(index)) {
                Ok(item) => items.push(setting(&item, depth - 1)),
                Err(_) => return Value::Unreadable,
            }
        }
        Value::List(items)
    } else {
        let Ok(keys) = js::keys(value) else { return Value::Unreadable };
        if keys.length() > MAX_SETTING_ENTRIES {
            return Value::Other("an object with too many keys");
        }
        let mut entries = Vec::new();
        for key in keys.iter() {
            let Some(name) = key.as_string() else { return Value::Unreadable };
            match js::get(value, &key) {
                Ok(item) => entries.push((name, setting(&item, depth - 1))),
                Err(_) => return Value::Unreadable,
            }
        }
        Value::Map(entries)
    }
}
