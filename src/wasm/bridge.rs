//! The Rust half of the bridge to the page: the imports from `bridge.js`,
//! and the readers that turn JS values into the rules' [`Value`]s. What a
//! reader reads, it keeps in its own fields, for the one call it serves.

use alloc::string::String;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::rules::{Consent, Event, Fields, Preferences, Properties, Settings, Skip, Value, MAX_CATEGORIES, MAX_EVENTS, MAX_TEXT};

#[wasm_bindgen(module = "/src/wasm/bridge.js")]
extern "C" {
    /// `target[key]`, or a marker that [`type_of`] calls [`Type::Threw`]
    /// when reading threw.
    #[wasm_bindgen(js_name = get)]
    fn get_or_marker(target: &JsValue, key: &JsValue) -> JsValue;
    /// What a value is.
    #[wasm_bindgen(js_name = type)]
    fn type_of(value: &JsValue) -> Type;
    /// `Object.keys(object)`, or `None` when listing threw.
    fn keys(object: &JsValue) -> Option<Array>;
    /// `['trackEvent', { type, id, amount }]` (`id` as `String(id)`; `id`
    /// and `amount` left out when undefined).
    #[wasm_bindgen(js_name = eventCommand)]
    pub fn event_command(kind: &str, id: &JsValue, amount: Option<f64>) -> JsValue;
    /// `['trackUser', { ...traits, id }]`; undefined when copying the traits threw.
    #[wasm_bindgen(js_name = userCommand)]
    fn user_command_or_undefined(traits: &JsValue, id: &JsValue) -> JsValue;
    /// `window.$CVO.push(command)`; false when that failed.
    pub fn push(command: &JsValue) -> bool;
    /// Takes `command` out of `window.$CVO` while that is a plain array.
    pub fn unqueue(command: &JsValue);
    /// `{ at, command }`: an outbox entry as it is stored.
    pub fn entry(at: f64, command: &JsValue) -> JsValue;
    /// `{ lease }`: a page's lease as it is stored.
    pub fn lease(lease: f64) -> JsValue;
    /// `{ by, at }`: a claim as it is stored.
    pub fn claim(by: &str, at: f64) -> JsValue;
    /// `{ event }`: a context for an event kept before the WebAssembly was ready.
    pub fn context(event: &JsValue) -> JsValue;
    /// `JSON.stringify(value)`; `None` when that threw.
    pub fn stringify(value: &JsValue) -> Option<String>;
    /// `JSON.parse(text)`; undefined when it is not JSON.
    pub fn parse(text: &str) -> JsValue;
    /// `console.warn(line)`.
    pub fn warn(line: &str);
    /// `window.$CVO`, made an array if there is none; undefined when it
    /// could not be read or set.
    pub fn queue() -> JsValue;
    /// Whether `window.$CVO.trackEvent` is a function.
    #[wasm_bindgen(js_name = isLoaded)]
    pub fn is_loaded() -> bool;
    /// `ctx.log('debug', line)`, if the context can log.
    pub fn log(ctx: &JsValue, line: &str);
    /// `globalThis` (`web_sys::window()` finds it through a chain of
    /// fallbacks, and a static would keep it in a lazy cell: both cost bytes).
    pub fn global() -> web_sys::Window;
}

/// What a JS value is, as `bridge.js` `type` tells it.
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Undefined = "undefined",
    Null = "null",
    True = "true",
    False = "false",
    Number = "number",
    String = "string",
    Bigint = "bigint",
    Symbol = "symbol",
    Function = "function",
    Object = "object",
    Array = "array",
    /// Reading the value threw.
    Threw = "threw",
}

/// `target[key]` and what it is ([`Type::Threw`] when reading it threw).
fn get(target: &JsValue, key: &JsValue) -> (JsValue, Type) {
    let value = get_or_marker(target, key);
    let kind = type_of(&value);
    (value, kind)
}

/// `target[name]`, for a name Rust knows (settings and stored entries, read
/// once per page; an event is read by its [`Names`]).
fn get_named(target: &JsValue, name: &str) -> (JsValue, Type) {
    get(target, &JsValue::from_str(name))
}

/// A string's or an array's `length` (through `get`: an array may be a
/// proxy whose reads throw; 0 then).
fn length(js: &JsValue) -> f64 {
    get_named(js, "length").0.as_f64().unwrap_or(0.0)
}

/// Whether `typeof value === 'object'` and it is not null (arrays too).
fn is_object(kind: Type) -> bool {
    matches!(kind, Type::Object | Type::Array)
}

/// How much of the settings object is read (anything larger is only
/// named): strings of up to this many UTF-16 units, ...
const MAX_SETTING_CHARS: u32 = 4096;
/// ... arrays and objects of up to this many entries, ...
const MAX_SETTING_ENTRIES: u32 = 1000;
/// ... this many levels below the settings object.
const SETTING_DEPTH: u32 = 2;
// Every value the rules could accept is read whole (a string of MAX_TEXT
// UTF-8 bytes has at most as many UTF-16 units).
const _: () = assert!(MAX_SETTING_CHARS as usize >= MAX_TEXT && MAX_SETTING_ENTRIES as usize >= MAX_EVENTS && MAX_SETTING_ENTRIES as usize >= MAX_CATEGORIES);

/// A value of an event as the rules see it: objects and arrays are only
/// named.
fn value((js, kind): (JsValue, Type)) -> Value {
    setting(&js, kind, 0)
}

/// A value of the settings as the rules see it, with arrays and objects read
/// `depth` levels deep (only named below that), within the limits above.
/// (At depth 0, as [`value`] reads an event's, strings are not limited.)
fn setting(js: &JsValue, kind: Type, depth: u32) -> Value {
    match kind {
        Type::String if depth > 0 && length(js) > f64::from(MAX_SETTING_CHARS) => Value::Other("a string that is too long"),
        Type::String => js.as_string().map_or(Value::Unreadable, Value::String),
        Type::Number => Value::Number(js.as_f64().unwrap_or(f64::NAN)),
        Type::True => Value::Bool(true),
        Type::False => Value::Bool(false),
        Type::Undefined => Value::Undefined,
        Type::Null => Value::Null,
        Type::Bigint => Value::Other("a bigint"),
        Type::Symbol => Value::Other("a symbol"),
        Type::Function => Value::Other("a function"),
        Type::Array if depth == 0 => Value::Other("an array"),
        Type::Object if depth == 0 => Value::Other("an object"),
        Type::Array => {
            let length = length(js);
            if length > f64::from(MAX_SETTING_ENTRIES) {
                return Value::Other("an array that is too long");
            }
            Value::List((0..length as u32).map(|i| {
                let (item, kind) = get(js, &JsValue::from(i));
                setting(&item, kind, depth - 1)
            }).collect())
        }
        Type::Object => {
            let Some(names) = keys(js) else { return Value::Unreadable };
            if names.length() > MAX_SETTING_ENTRIES {
                return Value::Other("an object with too many keys");
            }
            let entries = (0..names.length()).map(|i| {
                let name = names.get(i);
                let (entry, kind) = get(js, &name);
                (name.as_string().unwrap_or_default(), setting(&entry, kind, depth - 1))
            });
            Value::Map(entries.collect())
        }
        _ => Value::Unreadable,
    }
}

/// The settings the rules read: a [`Value::Map`] of [`Settings::KEYS`] (no
/// other key is touched), or the settings themselves when not an object.
pub fn settings(js: &JsValue) -> Value {
    let kind = type_of(js);
    if kind != Type::Object {
        return setting(js, kind, 0);
    }
    if keys(js).is_none() {
        // A revoked proxy: no setting can be read.
        return Value::Unreadable;
    }
    let entries = Settings::KEYS.iter().map(|&key| {
        let (js, kind) = get_named(js, key);
        (String::from(key), setting(&js, kind, SETTING_DEPTH))
    });
    Value::Map(entries.collect())
}

/// A value stored for the outbox, parsed (`JSON.parse`), as the rules read
/// it: `depth` levels deep, within the settings' limits.
pub fn stored(parsed: &JsValue, depth: u32) -> Value {
    setting(parsed, type_of(parsed), depth)
}

/// `target[name]` (what `get` gives: parsed JSON has no getters that throw).
pub fn field(target: &JsValue, name: &str) -> JsValue {
    get_named(target, name).0
}

/// `target[index]` (as [`field`]).
pub fn item(target: &JsValue, index: u32) -> JsValue {
    get(target, &JsValue::from(index)).0
}

/// The names an event is read by, as JS strings made once per destination:
/// a name passed from Rust as text is decoded into a new JS string on every
/// call (the largest cost per event, measured in bench/results.md), one made
/// once is passed as it is.
pub struct Names {
    event: JsValue,
    properties: JsValue,
    user_id: JsValue,
    traits: JsValue,
    context: JsValue,
    consent: JsValue,
    category_preferences: JsValue,
}

impl Names {
    pub fn new() -> Names {
        Names {
            event: JsValue::from_str("event"),
            properties: JsValue::from_str("properties"),
            user_id: JsValue::from_str("userId"),
            traits: JsValue::from_str("traits"),
            context: JsValue::from_str("context"),
            consent: JsValue::from_str("consent"),
            category_preferences: JsValue::from_str("categoryPreferences"),
        }
    }
}

/// One `ctx.event`, read as the rules ask ([`Event`]). It keeps what it has
/// read (the properties and their keys, the consent preferences) for the
/// rest of the one call it serves.
pub struct EventReader<'a> {
    names: &'a Names,
    /// `ctx.event`, when it is an object.
    event: Option<JsValue>,
    /// `event.properties` and their keys, once read.
    properties: JsValue,
    keys: Array,
    /// `event.context.consent.categoryPreferences`, once read.
    preferences: JsValue,
}

impl<'a> EventReader<'a> {
    /// Reads `ctx.event`.
    pub fn of(ctx: &JsValue, names: &'a Names) -> EventReader<'a> {
        let (event, kind) = get(ctx, &names.event);
        let event = is_object(kind).then_some(event);
        EventReader { names, event, properties: JsValue::UNDEFINED, keys: Array::new(), preferences: JsValue::UNDEFINED }
    }

    /// The event object, when there is one.
    pub fn event(&self) -> Result<&JsValue, Skip> {
        self.event.as_ref().ok_or(Skip::NoEvent)
    }

    /// The identify's `trackUser` command for `event` (a copy of its traits
    /// with `id`), and whether its traits could be read (if not, it is sent
    /// with the id only).
    pub fn user_command(&self, event: &JsValue, id: &JsValue) -> (JsValue, bool) {
        let (traits, kind) = get(event, &self.names.traits);
        if kind != Type::Threw {
            let command = user_command_or_undefined(&traits, id);
            if !command.is_undefined() {
                return (command, true);
            }
        }
        (user_command_or_undefined(&JsValue::UNDEFINED, id), false)
    }
}

impl Event for EventReader<'_> {
    fn name(&mut self) -> Result<String, Skip> {
        // Anything but a string (`get`'s marker for a read that threw too)
        // is no name: one call less than asking the type first.
        get_or_marker(self.event()?, &self.names.event).as_string().ok_or(Skip::NameNotText)
    }

    fn user_id(&mut self) -> Result<Value, Skip> {
        Ok(value(get(self.event()?, &self.names.user_id)))
    }
}

impl Properties for EventReader<'_> {
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip> {
        let (properties, kind) = get(self.event()?, &self.names.properties);
        if kind == Type::Threw {
            return Err(Skip::PropertiesUnreadable);
        }
        if !is_object(kind) {
            return Err(Skip::NoProperties);
        }
        self.keys = keys(&properties).ok_or(Skip::PropertiesUnreadable)?;
        self.properties = properties;
        for index in 0..self.keys.length() {
            fields.offer(index as usize, &self.keys.get(index).as_string().unwrap_or_default());
        }
        Ok(())
    }

    fn value(&mut self, index: usize) -> Value {
        value(get(&self.properties, &self.keys.get(index as u32)))
    }
}

impl Consent for EventReader<'_> {
    fn preferences(&mut self) -> Preferences {
        let Ok(event) = self.event() else { return Preferences::Absent };
        let mut at = event.clone();
        let path = [(&self.names.context, false), (&self.names.consent, false), (&self.names.category_preferences, true)];
        for (name, last) in path {
            let kind;
            (at, kind) = get(&at, name);
            match kind {
                Type::Threw => return Preferences::Other,
                _ if is_object(kind) => continue,
                Type::Undefined | Type::Null => return Preferences::Absent,
                // context and consent of another type count as absent.
                _ if !last => return Preferences::Absent,
                _ => return Preferences::Other,
            }
        }
        self.preferences = at;
        Preferences::Object
    }

    fn granted(&mut self, category: &str) -> Value {
        value(get_named(&self.preferences, category))
    }
}
