//! The Rust half of the bridge to the page: the imports from `bridge.js`,
//! a JS value as the rules read it ([`Read`]: how far and into what is the
//! rules' [`rules::read`]), and the reader of one event. What a reader
//! reads, it keeps in its own fields, for the one call it serves.

use alloc::string::String;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::rules::{self, Consent, Event, Fields, Js, Kind, Preferences, Properties, Skip, Value};

#[wasm_bindgen(module = "/src/wasm/bridge.js")]
extern "C" {
    /// `target[key]`, or a marker that [`type_of`] calls [`Kind::Threw`]
    /// when reading threw.
    #[wasm_bindgen(js_name = get)]
    fn get_or_marker(target: &JsValue, key: &JsValue) -> JsValue;
    /// What a value is: a [`Kind`]'s number.
    #[wasm_bindgen(js_name = type)]
    fn type_of(value: &JsValue) -> u32;
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
    /// Whether the page may use `localStorage`.
    pub fn stores() -> bool;
    /// What is stored under `key`, parsed (`JSON.parse`); undefined when
    /// there is none, it is longer than `most` UTF-16 units, it is not JSON,
    /// or reading threw.
    #[wasm_bindgen(js_name = storedValue)]
    pub fn stored_value(key: &str, most: u32) -> JsValue;
    /// Stores `JSON.stringify(value)` under `key`: its length (UTF-16
    /// units), or -1 when that failed.
    pub fn store(key: &str, value: &JsValue) -> i32;
    /// Removes what is stored under `key`, if it can.
    pub fn unstore(key: &str);
    /// The stored keys that start with `prefix`, without it, joined by NUL;
    /// `None` when they could not be listed.
    #[wasm_bindgen(js_name = storedKeys)]
    pub fn stored_keys(prefix: &str) -> Option<String>;
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

/// A JS value and what it is: what the rules read ([`Js`]).
pub struct Read {
    js: JsValue,
    kind: Kind,
}

impl Read {
    /// `js`, asking `bridge.js` what it is.
    pub fn of(js: JsValue) -> Read {
        let kind = Kind::numbered(type_of(&js));
        Read { js, kind }
    }

    /// The value itself.
    pub fn into_js(self) -> JsValue {
        self.js
    }
}

impl Js for Read {
    fn kind(&self) -> Kind {
        self.kind
    }

    fn text(&self) -> Option<String> {
        self.js.as_string()
    }

    fn number(&self) -> f64 {
        self.js.as_f64().unwrap_or(f64::NAN)
    }

    fn get(&self, key: &Read) -> Read {
        Read::of(get_or_marker(&self.js, &key.js))
    }

    fn name(name: &str) -> Read {
        Read { js: JsValue::from_str(name), kind: Kind::String }
    }

    fn index(index: u32) -> Read {
        Read { js: index.into(), kind: Kind::Number }
    }

    fn keys(&self) -> Option<Read> {
        keys(&self.js).map(|keys| Read { js: keys.into(), kind: Kind::Array })
    }
}

/// The names an event is read by, as JS strings made once per destination:
/// a name passed from Rust as text is decoded into a new JS string on every
/// call (the largest cost per event, measured in bench/results.md), one made
/// once is passed as it is.
pub struct Names {
    event: Read,
    properties: Read,
    user_id: Read,
    traits: Read,
    context: Read,
    consent: Read,
    category_preferences: Read,
}

impl Names {
    pub fn new() -> Names {
        Names {
            event: Read::name("event"),
            properties: Read::name("properties"),
            user_id: Read::name("userId"),
            traits: Read::name("traits"),
            context: Read::name("context"),
            consent: Read::name("consent"),
            category_preferences: Read::name("categoryPreferences"),
        }
    }
}

/// One `ctx.event`, read as the rules ask ([`Event`]). It keeps what it has
/// read (the properties and their keys, the consent preferences) for the
/// rest of the one call it serves.
pub struct EventReader<'a> {
    names: &'a Names,
    /// `ctx.event`, when it is an object.
    event: Option<Read>,
    /// `event.properties` and their keys, once read.
    properties: JsValue,
    keys: Array,
    /// `event.context.consent.categoryPreferences`, once read.
    preferences: Option<Read>,
}

impl<'a> EventReader<'a> {
    /// Reads `ctx.event`.
    pub fn of(ctx: &JsValue, names: &'a Names) -> EventReader<'a> {
        let event = Read::of(get_or_marker(ctx, &names.event.js));
        let event = event.kind.is_object().then_some(event);
        EventReader { names, event, properties: JsValue::UNDEFINED, keys: Array::new(), preferences: None }
    }

    /// The event object, when there is one.
    pub fn event(&self) -> Result<&Read, Skip> {
        self.event.as_ref().ok_or(Skip::NoEvent)
    }

    /// The identify's `trackUser` command for `event` (a copy of its traits
    /// with `id`), and whether its traits could be read (if not, it is sent
    /// with the id only).
    pub fn user_command(&self, event: &Read, id: &JsValue) -> (JsValue, bool) {
        let traits = event.get(&self.names.traits);
        if traits.kind != Kind::Threw {
            let command = user_command_or_undefined(&traits.js, id);
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
        get_or_marker(&self.event()?.js, &self.names.event.js).as_string().ok_or(Skip::NameNotText)
    }

    fn user_id(&mut self) -> Result<Value, Skip> {
        Ok(rules::value(&self.event()?.get(&self.names.user_id)))
    }
}

impl Properties for EventReader<'_> {
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip> {
        let properties = self.event()?.get(&self.names.properties);
        if properties.kind == Kind::Threw {
            return Err(Skip::PropertiesUnreadable);
        }
        if !properties.kind.is_object() {
            return Err(Skip::NoProperties);
        }
        self.keys = keys(&properties.js).ok_or(Skip::PropertiesUnreadable)?;
        self.properties = properties.js;
        for index in 0..self.keys.length() {
            fields.offer(index as usize, &self.keys.get(index).as_string().unwrap_or_default());
        }
        Ok(())
    }

    fn value(&mut self, index: usize) -> Value {
        rules::value(&Read::of(get_or_marker(&self.properties, &self.keys.get(index as u32))))
    }
}

impl Consent for EventReader<'_> {
    fn preferences(&mut self) -> Preferences {
        let Ok(event) = self.event() else { return Preferences::Absent };
        let names = self.names;
        let (found, preferences) = rules::preferences_at(event, [&names.context, &names.consent, &names.category_preferences]);
        self.preferences = preferences;
        found
    }

    fn granted(&mut self, category: &str) -> Value {
        self.preferences.as_ref().map_or(Value::Undefined, |preferences| rules::value(&preferences.get(&Read::name(category))))
    }
}
