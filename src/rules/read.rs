//! How a JS value is read into a [`Value`]: what each kind of value becomes,
//! and how much of the settings and of stored outbox entries is read. The
//! binding only answers the questions of [`Js`] (what a value is, its text or
//! number, `target[key]`, `Object.keys`); what is asked, and how far, is
//! decided here.

use alloc::string::String;

use super::{Settings, Value, MAX_CATEGORIES, MAX_EVENTS, MAX_TEXT};

/// What a JS value is: its `typeof`, with `null`, `true`, `false` and arrays
/// apart, and [`Kind::Threw`] for a read that threw. Numbered in this order
/// (from 0) by the binding's `type` (src/wasm/bridge.js).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Kind { Undefined, Null, True, False, Number, String, Bigint, Symbol, Function, Object, Array, Threw }

impl Kind {
    /// The kind numbered `n`; any other number (a `typeof` no engine gives
    /// today) reads as [`Kind::Threw`], a value that cannot be read.
    pub fn numbered(n: u32) -> Kind {
        use Kind::*;
        const KINDS: [Kind; 11] = [Undefined, Null, True, False, Number, String, Bigint, Symbol, Function, Object, Array];
        KINDS.get(n as usize).copied().unwrap_or(Threw)
    }

    /// Whether `typeof` says `"object"` and it is not null (arrays too).
    pub fn is_object(self) -> bool {
        matches!(self, Kind::Object | Kind::Array)
    }
}

/// A JS value, as the binding reads it for the rules. Keys are values too: a
/// name ([`Js::name`]), an index ([`Js::index`]) or an item of
/// [`Js::keys`].
pub trait Js: Sized {
    /// What it is.
    fn kind(&self) -> Kind;
    /// Its text, when it is a string.
    fn text(&self) -> Option<String>;
    /// Its value, when it is a number (NaN otherwise).
    fn number(&self) -> f64;
    /// `self[key]`, of [`Kind::Threw`] when reading it threw.
    fn get(&self, key: &Self) -> Self;
    /// A property name.
    fn name(name: &str) -> Self;
    /// An array index.
    fn index(index: u32) -> Self;
    /// `Object.keys(self)`, or `None` when listing them threw.
    fn keys(&self) -> Option<Self>;
}

/// How much of the settings and of stored entries is read (anything larger
/// is only named): strings of up to this many UTF-16 units, ...
pub const MAX_READ_CHARS: u32 = 4096;
/// ... arrays and objects of up to this many entries, ...
pub const MAX_READ_ENTRIES: u32 = 1000;
/// ... this many levels below the settings object.
pub const SETTINGS_DEPTH: u32 = 2;
// Every value the rules could accept is read whole (a string of MAX_TEXT
// UTF-8 bytes has at most as many UTF-16 units).
const _: () = assert!(MAX_READ_CHARS as usize >= MAX_TEXT && MAX_READ_ENTRIES as usize >= MAX_EVENTS && MAX_READ_ENTRIES as usize >= MAX_CATEGORIES);

/// A value of an event, as the rules see it: objects and arrays are only
/// named, strings read whole.
pub fn value<J: Js>(js: &J) -> Value {
    read(js, 0)
}

/// `js` as the rules see it, with arrays and objects read `depth` levels
/// deep (only named below that), within the limits above. (At depth 0, as
/// [`value`] reads an event's, strings are not limited.)
pub fn read<J: Js>(js: &J, depth: u32) -> Value {
    match js.kind() {
        Kind::String if depth > 0 && length(js) > f64::from(MAX_READ_CHARS) => Value::Other("a string that is too long"),
        Kind::String => js.text().map_or(Value::Unreadable, Value::String),
        Kind::Number => Value::Number(js.number()),
        Kind::True => Value::Bool(true),
        Kind::False => Value::Bool(false),
        Kind::Undefined => Value::Undefined,
        Kind::Null => Value::Null,
        Kind::Bigint => Value::Other("a bigint"),
        Kind::Symbol => Value::Other("a symbol"),
        Kind::Function => Value::Other("a function"),
        Kind::Array if depth == 0 => Value::Other("an array"),
        Kind::Object if depth == 0 => Value::Other("an object"),
        Kind::Array => {
            let length = length(js);
            if length > f64::from(MAX_READ_ENTRIES) {
                return Value::Other("an array that is too long");
            }
            Value::List((0..length as u32).map(|i| read(&js.get(&J::index(i)), depth - 1)).collect())
        }
        Kind::Object => {
            let Some(names) = js.keys() else { return Value::Unreadable };
            let count = length(&names);
            if count > f64::from(MAX_READ_ENTRIES) {
                return Value::Other("an object with too many keys");
            }
            let entries = (0..count as u32).map(|i| {
                let name = names.get(&J::index(i));
                (name.text().unwrap_or_default(), read(&js.get(&name), depth - 1))
            });
            Value::Map(entries.collect())
        }
        Kind::Threw => Value::Unreadable,
    }
}

/// A string's or an array's `length` (NaN when it cannot be read: then it
/// reads as empty).
fn length<J: Js>(js: &J) -> f64 {
    js.get(&J::name("length")).number()
}

/// The settings the rules read: a [`Value::Map`] of [`Settings::KEYS`] (no
/// other key is touched), or the settings themselves when not an object.
pub fn read_settings<J: Js>(js: &J) -> Value {
    if js.kind() != Kind::Object {
        return value(js);
    }
    if js.keys().is_none() {
        // A revoked proxy: no setting can be read.
        return Value::Unreadable;
    }
    let entries = Settings::KEYS.iter().map(|&key| (String::from(key), read(&js.get(&J::name(key)), SETTINGS_DEPTH)));
    Value::Map(entries.collect())
}
