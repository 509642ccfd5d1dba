//! How the binding layer describes a JS value to the core.

use alloc::string::String;
use alloc::vec::Vec;

/// One JS value, as far as the rules need to know it.
///
/// Objects and arrays are only described in full where the rules read inside
/// them (the settings); elsewhere the binding reports them as [`Value::Other`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `undefined`, or a missing property.
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (any `f64`, including `NaN` and infinities).
    Number(f64),
    /// A string.
    String(String),
    /// An array, with its elements.
    List(Vec<Value>),
    /// A plain object, with its own enumerable string keys in order.
    Map(Vec<(String, Value)>),
    /// Anything else (a bigint, a symbol, a function, an object the rules do
    /// not look into), named for messages: `"a bigint"`, `"an object"`.
    Other(&'static str),
    /// Reading the value threw (a throwing getter or proxy).
    Unreadable,
}

impl Value {
    /// Whether JavaScript counts the value as true in a condition, as
    /// Segment's `a || b` does: `undefined`, `null`, `false`, `0`, `NaN` and
    /// `''` do not (nor a value that threw when read); other values,
    /// objects included, do.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null | Value::Unreadable => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            Value::List(_) | Value::Map(_) | Value::Other(_) => true,
        }
    }

    /// Describes the value's type for an error message: `"a number"`, `"null"`.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "an array",
            Value::Map(_) => "an object",
            Value::Other(what) => what,
            Value::Unreadable => "a value that throws when read",
        }
    }
}

/// JSON and other serde formats, read into the same [`Value`] the binding
/// builds from JS values; [`Settings`](super::Settings) deserializes through
/// [`Settings::parse`](super::Settings::parse), the one settings parser.
#[cfg(feature = "serde")]
mod de {
    use alloc::string::String;
    use alloc::vec::Vec;
    use core::fmt;

    use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};

    use super::Value;
    use crate::rules::Settings;

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
            deserializer.deserialize_any(ValueVisitor)
        }
    }

    struct ValueVisitor;

    impl<'de> Visitor<'de> for ValueVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_bool<E: Error>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }

        fn visit_i64<E: Error>(self, n: i64) -> Result<Value, E> {
            Ok(Value::Number(n as f64))
        }

        fn visit_u64<E: Error>(self, n: u64) -> Result<Value, E> {
            Ok(Value::Number(n as f64))
        }

        fn visit_f64<E: Error>(self, n: f64) -> Result<Value, E> {
            Ok(Value::Number(n))
        }

        fn visit_str<E: Error>(self, s: &str) -> Result<Value, E> {
            Ok(Value::String(s.into()))
        }

        fn visit_string<E: Error>(self, s: String) -> Result<Value, E> {
            Ok(Value::String(s))
        }

        fn visit_unit<E: Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_none<E: Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
            Value::deserialize(deserializer)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value::List(items))
        }

        /// Entries in the order the input has them (property lookups depend on key order).
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry::<String, Value>()? {
                entries.push(entry);
            }
            Ok(Value::Map(entries))
        }
    }

    impl<'de> Deserialize<'de> for Settings {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Settings, D::Error> {
            Settings::parse(&Value::deserialize(deserializer)?).map_err(|e| D::Error::custom(e.message()))
        }
    }
}
