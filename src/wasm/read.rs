//! Reading JS values into the core's [`Value`]s, reading only what is asked.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::Map;
use wasm_bindgen::prelude::*;

use super::js::{self, codes::*};
use crate::rules::{Consent, Fields, Preferences, Record, Skip, Value};

/// The value [`js::identify`] or [`js::field`] held, given the kind they
/// returned, as the rules see it: objects are only named.
pub fn held(kind: i32) -> Value {
    match kind {
        KIND_NUMBER => Value::Number(js::held_number()),
        KIND_STRING => js::held_text().map_or(Value::Undefined, Value::String),
        other => named(other),
    }
}

/// A value of a kind that carries nothing more than its kind.
fn named(kind: i32) -> Value {
    match kind {
        KIND_UNDEFINED => Value::Undefined,
        KIND_NULL => Value::Null,
        KIND_FALSE => Value::Bool(false),
        KIND_TRUE => Value::Bool(true),
        KIND_BIGINT => Value::Other("a bigint"),
        KIND_SYMBOL => Value::Other("a symbol"),
        KIND_FUNCTION => Value::Other("a function"),
        KIND_ARRAY => Value::Other("an array"),
        KIND_LONG_STRING => Value::Other("a string that is too long"),
        KIND_LONG_ARRAY => Value::Other("an array that is too long"),
        KIND_LONG_OBJECT => Value::Other("an object with too many keys"),
        KIND_OBJECT => Value::Other("an object"),
        _ => Value::Unreadable,
    }
}

/// Most strings a memo keeps; it is emptied when full, so memory stays
/// bounded however many distinct names or key lists a page sends.
pub const MEMO_CAPACITY: u32 = 512;

/// An event's properties, read lazily for the rules. (safe.js keeps the
/// values read, by key index: a string id is sent back as it was read, not
/// re-encoded, so even lone surrogates survive.)
pub struct Properties<'a> {
    /// The fields found for each list of keys seen.
    pub seen: &'a Map,
}

impl Record for Properties<'_> {
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip> {
        let code = js::properties(self.seen);
        if code >= 0.0 {
            *fields = Fields::unpack(code as u64);
            return Ok(());
        }
        match code as i32 {
            ANSWER_NO_OBJECT => Err(Skip::NoProperties),
            ANSWER_UNREADABLE => Err(Skip::PropertiesUnreadable),
            _ => {
                // UNKNOWN: the keys crossed into wasm once, as "k1\0k2\0…\0count".
                let count = js::key_count() as usize;
                let text = js::text().unwrap_or_default();
                // The piece before each "\0" is a key, unless a key holds
                // the separator itself: then the keys are read one by one.
                let (mut index, mut start) = (0, 0);
                for (at, byte) in text.bytes().enumerate() {
                    if byte == 0 {
                        fields.offer(index, text.get(start..at).unwrap_or(""));
                        (index, start) = (index + 1, at + 1);
                    }
                }
                if index != count {
                    *fields = Fields::default();
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
        held(js::field(index as u32))
    }
}

/// An event's properties read whole by serde-wasm-bindgen (the
/// measurement-only variant of scripts/crate-costs.mjs).
#[cfg(feature = "cost-swb-events")]
pub struct SwbProperties(Vec<(String, Value)>);

#[cfg(feature = "cost-swb-events")]
impl SwbProperties {
    /// `ctx.event.properties`, read with serde-wasm-bindgen.
    pub fn of(ctx: &JsValue) -> SwbProperties {
        let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        match serde_wasm_bindgen::from_value(get(&get(ctx, "event"), "properties")) {
            Ok(Value::Map(entries)) => SwbProperties(entries),
            _ => SwbProperties(Vec::new()),
        }
    }
}

#[cfg(feature = "cost-swb-events")]
impl Record for SwbProperties {
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip> {
        self.0.iter().enumerate().for_each(|(index, (key, _))| fields.offer(index, key));
        Ok(())
    }

    fn value(&mut self, index: usize) -> Value {
        self.0.get(index).map_or(Value::Undefined, |(_, value)| value.clone())
    }
}

/// The consent preferences of the event safe.js holds, read through it.
pub struct EventConsent<'a> {
    /// The destination's consent categories, as a JS array.
    pub categories: &'a JsValue,
}

impl Consent for EventConsent<'_> {
    fn preferences(&mut self) -> Preferences {
        match js::consent() {
            KIND_UNDEFINED | KIND_NULL => Preferences::Absent,
            KIND_OBJECT => Preferences::Object,
            _ => Preferences::Other,
        }
    }

    fn granted(&mut self, index: usize) -> Value {
        held(js::granted(self.categories, index as u32))
    }
}

/// The settings as serde-wasm-bindgen reads them (the measurement-only
/// variant of scripts/crate-costs.mjs; it reads every key).
#[cfg(feature = "cost-swb-settings")]
pub fn settings(value: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(value.clone()).unwrap_or(Value::Unreadable)
}

/// The settings the rules read, as a [`Value::Map`] of [`Settings::KEYS`]
/// (other keys are never touched), read by safe.js's `settings` in one
/// crossing and decoded here.
#[cfg(not(feature = "cost-swb-settings"))]
pub fn settings(value: &JsValue) -> Value {
    let mut keys = String::new();
    for key in crate::rules::Settings::KEYS {
        keys.push_str(key);
        keys.push('\0');
    }
    keys.pop();
    let encoded = js::settings(value, &keys);
    Decoder { text: &encoded, at: 0 }.value()
}

/// Reads the encoding safe.js's `settings` writes (documented there), byte
/// by byte. Input that does not follow it (it cannot happen) decodes as
/// unreadable values, never a panic.
struct Decoder<'a> {
    text: &'a str,
    at: usize,
}

impl Decoder<'_> {
    fn value(&mut self) -> Value {
        match i32::from(self.byte()) - 48 {
            KIND_NUMBER => {
                let mut bits = 0u64;
                for _ in 0..16 {
                    let digit = self.byte();
                    bits = bits << 4 | u64::from(if digit <= b'9' { digit.wrapping_sub(b'0') } else { digit.wrapping_sub(b'a' - 10) } & 15);
                }
                Value::Number(f64::from_bits(bits))
            }
            KIND_STRING => Value::String(self.string()),
            KIND_LIST => {
                let mut items = Vec::new();
                for _ in 0..self.count() {
                    items.push(self.value());
                }
                Value::List(items)
            }
            KIND_MAP => {
                let mut entries = Vec::new();
                for _ in 0..self.count() {
                    entries.push((self.string(), self.value()));
                }
                Value::Map(entries)
            }
            other => named(other),
        }
    }

    /// The next byte; `:` past the end.
    fn byte(&mut self) -> u8 {
        let byte = self.text.as_bytes().get(self.at).copied().unwrap_or(b':');
        self.at += 1;
        byte
    }

    /// A decimal count and its ':', bounded by what is left, so that a bad
    /// count cannot make a large allocation.
    fn count(&mut self) -> usize {
        let mut count = 0usize;
        loop {
            let digit = self.byte().wrapping_sub(b'0');
            if digit > 9 {
                return count.min(self.text.len());
            }
            count = count.saturating_mul(10).saturating_add(usize::from(digit));
        }
    }

    /// A length in UTF-16 units, ':', and that much text.
    fn string(&mut self) -> String {
        let mut units = self.count();
        let start = self.at;
        let bytes = self.text.as_bytes();
        // A UTF-8 lead byte starts one UTF-16 unit, or two for a 4-byte
        // sequence; continuation bytes start none.
        while let Some(&b) = bytes.get(self.at) {
            let starts = if b >= 0xF0 { 2 } else { usize::from(b & 0xC0 != 0x80) };
            if units == 0 && starts > 0 {
                break;
            }
            units = units.saturating_sub(starts);
            self.at += 1;
        }
        self.text.get(start..self.at).unwrap_or("").into()
    }
}
