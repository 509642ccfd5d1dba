//! Reading JS values into the core's [`Value`]s, reading only what is asked.

use alloc::borrow::ToOwned;
use alloc::vec::Vec;

use js_sys::{Array, JsString, Map};
use wasm_bindgen::prelude::*;

use super::js;
use crate::rules::{Fields, Record, Settings, Skip, Value};

/// Longest settings string copied into wasm; longer ones are refused unread.
const MAX_SETTING_CHARS: u32 = 4096;
/// Most array elements or object keys read from one settings value.
const MAX_SETTING_ENTRIES: u32 = 1000;

/// The value [`js::hold`] or [`js::field`] held, given the kind they returned,
/// as the rules see it: objects are only named.
pub fn held(kind: u32) -> Value {
    use js::kinds::*;
    match kind {
        UNDEFINED => Value::Undefined,
        NULL => Value::Null,
        FALSE => Value::Bool(false),
        TRUE => Value::Bool(true),
        NUMBER => Value::Number(js::held_number()),
        STRING => js::held_text().map_or(Value::Undefined, Value::String),
        BIGINT => Value::Other("a bigint"),
        SYMBOL => Value::Other("a symbol"),
        FUNCTION => Value::Other("a function"),
        THREW => Value::Unreadable,
        _ => Value::Other("an object"),
    }
}

/// A value the rules treat as a scalar; objects are only named.
pub fn scalar(value: &JsValue) -> Value {
    match js::hold(value) {
        js::kinds::OBJECT if js::is_array(value).unwrap_or(false) => Value::Other("an array"),
        kind => held(kind),
    }
}

/// Most strings a memo keeps; it is emptied when full, so memory stays
/// bounded however many distinct names or key lists a page sends.
pub const MEMO_CAPACITY: u32 = 512;

/// An event's properties, read lazily for the rules.
pub struct Properties<'a> {
    seen: &'a Map,
    /// The values read so far, by key index, as JS values: sent back as they
    /// are (a string id is not re-encoded, so even lone surrogates survive).
    read: Vec<(usize, JsValue)>,
}

impl<'a> Properties<'a> {
    /// The properties of the event [`js::track`] read; nothing is read yet.
    /// `seen` remembers the fields found for each list of keys.
    pub fn of(seen: &'a Map) -> Properties<'a> {
        Properties { seen, read: Vec::new() }
    }

    /// The JS value read for key number `index`, if it was read.
    pub fn original(&self, index: usize) -> Option<&JsValue> {
        self.read.iter().find(|(i, _)| *i == index).map(|(_, value)| value)
    }
}

impl Record for Properties<'_> {
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip> {
        use js::answers::*;
        let code = js::properties(self.seen);
        if code >= 0.0 {
            *fields = Fields::unpack(code as u64);
            return Ok(());
        }
        match code as i32 {
            NO_OBJECT => Err(Skip::NoProperties),
            UNREADABLE => Err(Skip::PropertiesUnreadable),
            _ => {
                // UNKNOWN: the keys crossed into wasm once, as "k1\0k2\0…\0count".
                let count = js::key_count() as usize;
                let text = js::text().unwrap_or_default();
                // Exact unless a key holds the separator itself.
                if text.bytes().filter(|&b| b == 0).count() == count {
                    text.split('\0').take(count).enumerate().for_each(|(index, key)| fields.offer(index, key));
                } else {
                    for index in 0..count {
                        fields.offer(index, &js::key(index as u32).unwrap_or_default());
                    }
                }
                if let Some(bits) = fields.pack() {
                    js::remember(self.seen, bits as f64, MEMO_CAPACITY);
                }
                Ok(())
            }
        }
    }

    fn value(&mut self, index: usize) -> Value {
        let kind = js::field(index as u32);
        if kind == js::kinds::STRING {
            self.read.push((index, js::held()));
        }
        held(kind)
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
    if depth == 0 || !value.is_object() {
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
