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
