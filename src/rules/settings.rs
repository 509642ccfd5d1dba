//! Settings: the object Segment keeps for this destination, plus `tagUrl`
//! and `nonce`. Parsing validates every setting the browser uses and fails
//! with a [`SettingsError`] that names it and says what was expected.

use alloc::string::String;
use alloc::vec::Vec;

use super::engine::{Engine, Native};
use super::names::normal_bytes;
use super::Value;
use crate::text::{concat, decimal};

/// Host of Convertro's tag: the default tag URL is
/// `https://d1ivexoxmp59q7.cloudfront.net/{account}/live.js`.
pub const DEFAULT_TAG_HOST: &str = "https://d1ivexoxmp59q7.cloudfront.net/";

/// Longest `account` accepted.
pub const MAX_ACCOUNT: usize = 128;
/// Longest `tagUrl`, `nonce`, event name or Convertro type accepted.
pub const MAX_TEXT: usize = 2048;
/// Most entries accepted in `events`.
pub const MAX_EVENTS: usize = 1000;
/// Most consent categories accepted in `consentSettings.categories`.
pub const MAX_CATEGORIES: usize = 100;

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    account: String,
    tag_url: String,
    nonce: Option<String>,
    hybrid: bool,
    events: EventMap,
    categories: Vec<String>,
}

/// Why settings were rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    /// The settings are not an object at all.
    NotAnObject {
        /// What was given instead (`"null"`, `"a string"`).
        got: &'static str,
    },
    /// One setting is wrong.
    Invalid {
        /// The setting, as a user writes it: `account`, `events["Signed Up"]`.
        setting: String,
        /// What the setting must be.
        expected: &'static str,
        /// What was given.
        got: String,
    },
}

impl SettingsError {
    /// A sentence a user can act on.
    pub fn message(&self) -> String {
        match self {
            SettingsError::NotAnObject { got } => {
                concat(&["Convertro: settings must be an object such as { account: 'acme' } (got ", got, ")."])
            }
            SettingsError::Invalid { setting, expected, got } => {
                concat(&["Convertro: setting `", setting, "` must be ", expected, " (got ", got, ")."])
            }
        }
    }
}

/// The error for `setting`, which was `got` (see [`shown`]).
fn invalid(setting: String, expected: &'static str, got: String) -> SettingsError {
    SettingsError::Invalid { setting, expected, got }
}

/// A value as a message shows it: a string quoted, anything else by its type.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => quote(s),
        other => other.describe().into(),
    }
}

/// `"text"`, cut short when long, for messages.
fn quote(s: &str) -> String {
    const SHOWN: usize = 40;
    // The byte where character number SHOWN starts, if there is one.
    let end = s.char_indices().nth(SHOWN).map_or(s.len(), |(at, _)| at);
    concat(&["\"", s.get(..end).unwrap_or(""), if end < s.len() { "…" } else { "" }, "\""])
}

/// The value under `name` among an object's entries (undefined when absent).
fn entry<'a>(entries: &'a [(String, Value)], name: &str) -> &'a Value {
    entries.iter().find(|(key, _)| key == name).map_or(&Value::Undefined, |(_, value)| value)
}

const ACCOUNT: &str = "a non-empty string of letters, digits, '_', '-' and '.' (your Convertro account name)";
const EVENTS: &str = "an object { \"Segment event\": \"convertro type\" }, an array of { key, value } entries or an array of event names";
const EVENT_NAME: &str = "a non-empty string (a Segment event name)";
const EVENT_TYPE: &str = "a non-empty string (a Convertro event type)";
const EVENT_ENTRY: &str = "an event name or an object { key: \"Segment event\", value: \"convertro type\" }";
const HYBRID: &str = "true or false";
const TAG_URL: &str = "an absolute https: or http: URL, or a path on this site starting with a single '/'";
const NONCE: &str = "a string (the CSP nonce for the tag's script element)";
const CONSENT: &str = "an object { categories: [\"category\", …] } (the consent categories set for Convertro in Segment)";
const CATEGORIES: &str = "an array of at most 100 consent category names";
const CATEGORY: &str = "a non-empty string (a consent category)";

impl Settings {
    /// The settings' keys this destination reads; the binding layer reads
    /// only these from the user's object.
    pub const KEYS: [&'static str; 6] = ["account", "events", "hybridAttributionModel", "tagUrl", "nonce", "consentSettings"];

    /// Validates settings given as the object the user passed.
    ///
    /// `settings` is a [`Value::Map`] of the settings' keys; keys this
    /// destination does not use are ignored (Segment's settings objects carry
    /// extras). `undefined` and `null` leave an optional setting unset, and so
    /// does an empty `tagUrl` or `nonce`, except `hybridAttributionModel`,
    /// which is `true`, `false` or absent.
    pub fn parse(settings: &Value) -> Result<Settings, SettingsError> {
        Settings::parse_in(settings, &Native)
    }

    /// [`Settings::parse`], with the `events` mapping's names normalised
    /// with `engine`'s lower-casing (see [`normalize_event_name`](super::normalize_event_name)).
    pub fn parse_in(settings: &Value, engine: &impl Engine) -> Result<Settings, SettingsError> {
        let Value::Map(entries) = settings else {
            return Err(SettingsError::NotAnObject { got: settings.describe() });
        };
        // The error for setting `name`, as it was given.
        let bad = |name: &str, expected| invalid(name.into(), expected, shown(entry(entries, name)));

        let account = match entry(entries, "account") {
            Value::String(s) if is_account(s) => s.clone(),
            _ => return Err(bad("account", ACCOUNT)),
        };
        let hybrid = match entry(entries, "hybridAttributionModel") {
            Value::Undefined => false,
            Value::Bool(b) => *b,
            _ => return Err(bad("hybridAttributionModel", HYBRID)),
        };
        let tag_url = match optional_text(entry(entries, "tagUrl")) {
            Ok(None) => concat(&[DEFAULT_TAG_HOST, &account, "/live.js"]),
            Ok(Some(url)) if is_tag_url(url) => url.into(),
            _ => return Err(bad("tagUrl", TAG_URL)),
        };
        let Ok(nonce) = optional_text(entry(entries, "nonce")) else { return Err(bad("nonce", NONCE)) };
        let events = EventMap::parse(entry(entries, "events"), engine)?;
        let categories = categories(entry(entries, "consentSettings"))?;
        Ok(Settings { account, tag_url, nonce: nonce.map(String::from), hybrid, events, categories })
    }

    /// The Convertro account name.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The URL of Convertro's tag: `tagUrl`, or the CDN URL for the account.
    pub fn tag_url(&self) -> &str {
        &self.tag_url
    }

    /// The CSP nonce to put on the tag's script element.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// Whether `hybridAttributionModel` is on.
    pub fn hybrid(&self) -> bool {
        self.hybrid
    }

    /// The `events` mapping.
    pub fn events(&self) -> &EventMap {
        &self.events
    }

    /// The consent categories (`consentSettings.categories`) an event needs
    /// consent for; empty when consent is not enforced (see
    /// [`allows`](super::allows)).
    pub fn categories(&self) -> &[String] {
        &self.categories
    }
}

/// `consentSettings`, in the shape Segment's app keeps it for a destination:
/// `{ categories: ["C0004", …] }`. Other keys are ignored; `undefined` and
/// `null` (for it or its `categories`) mean no consent categories.
fn categories(consent: &Value) -> Result<Vec<String>, SettingsError> {
    let categories = match consent {
        Value::Undefined | Value::Null => return Ok(Vec::new()),
        Value::Map(fields) => entry(fields, "categories"),
        other => return Err(invalid("consentSettings".into(), CONSENT, shown(other))),
    };
    let items = match categories {
        Value::Undefined | Value::Null => return Ok(Vec::new()),
        Value::List(items) if items.len() <= MAX_CATEGORIES => items,
        other => return Err(invalid("consentSettings.categories".into(), CATEGORIES, shown(other))),
    };
    let mut out = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match item {
            Value::String(name) if !name.is_empty() && name.len() <= MAX_TEXT => out.push(name.clone()),
            other => return Err(invalid(concat(&["consentSettings.categories[", &decimal(index as u64), "]"]), CATEGORY, shown(other))),
        }
    }
    Ok(out)
}

/// A string setting that may be unset; `Err` when it is of another type or too long.
fn optional_text(value: &Value) -> Result<Option<&str>, ()> {
    match value {
        Value::Undefined | Value::Null => Ok(None),
        Value::String(s) if s.len() <= MAX_TEXT => Ok(Some(s.as_str()).filter(|s| !s.is_empty())),
        _ => Err(()),
    }
}

/// Letters, digits, `_`, `-`, `.`; not empty, not only dots (`.`, `..` would
/// climb out of the account's folder on the CDN).
fn is_account(s: &str) -> bool {
    s.len() <= MAX_ACCOUNT
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && s.bytes().any(|b| b != b'.')
}

/// An absolute `https:` / `http:` URL with a host, or a same-site path.
///
/// Backslashes, whitespace and control characters are refused anywhere: URL
/// parsers drop tabs and newlines and read `\` as `/`, which would let
/// `/\evil.example` or `/\t/evil.example` reach another origin.
fn is_tag_url(url: &str) -> bool {
    // Rust's `char::is_whitespace` and `char::is_control`, written out: the
    // C0 controls and space, DEL and the C1 controls, NBSP, and the Unicode
    // spaces above U+00A0.
    let refused = |c: char| {
        matches!(c, '\0'..=' ' | '\\' | '\u{7f}'..='\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
    };
    if url.chars().any(refused) {
        return false;
    }
    let bytes = url.as_bytes();
    let after = |scheme: &[u8]| bytes.get(..scheme.len()).filter(|head| head.eq_ignore_ascii_case(scheme)).map(|_| bytes.get(scheme.len()..).unwrap_or(&[]));
    match after(b"https://").or_else(|| after(b"http://")) {
        Some(rest) => !matches!(rest.first(), None | Some(b'/' | b'?' | b'#' | b'@' | b':')),
        None => bytes.first() == Some(&b'/') && bytes.get(1) != Some(&b'/'),
    }
}

/// Which half of an `events` entry is wrong.
#[derive(Clone, Copy)]
enum Bad {
    Name,
    Type,
}

impl Bad {
    fn expected(self) -> &'static str {
        match self {
            Bad::Name => EVENT_NAME,
            Bad::Type => EVENT_TYPE,
        }
    }
}

/// The `events` setting: which Segment events are sent to Convertro, as
/// which Convertro types.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventMap {
    /// Convertro types in mapping order; [`ConvertroType::Mapped`](super::ConvertroType) indexes it.
    types: Vec<String>,
    /// The normalised Segment name of each mapping, in the same order.
    names: Vec<Vec<u8>>,
}

impl EventMap {
    /// Parses the three forms Segment's settings use: an object
    /// `{ "Segment event": "convertro type" }`, an array of `{ key, value }`,
    /// or an array of names that map to themselves.
    pub fn parse(events: &Value, engine: &impl Engine) -> Result<EventMap, SettingsError> {
        let mut map = EventMap::default();
        match events {
            Value::Undefined | Value::Null => {}
            Value::Map(entries) if entries.len() <= MAX_EVENTS => {
                for (name, ty) in entries {
                    if let Err(bad) = map.add(Some(name), ty, engine) {
                        let got = match bad {
                            Bad::Name => quote(name),
                            Bad::Type => shown(ty),
                        };
                        return Err(invalid(concat(&["events[", &quote(name), "]"]), bad.expected(), got));
                    }
                }
            }
            Value::List(items) if items.len() <= MAX_EVENTS => {
                for (index, item) in items.iter().enumerate() {
                    // The entry's name and type, and where each came from.
                    let (name, ty, at_name, at_type) = match item {
                        Value::String(_) => (item, item, "", ""),
                        Value::Map(fields) => (entry(fields, "key"), entry(fields, "value"), ".key", ".value"),
                        other => return Err(invalid(concat(&["events[", &decimal(index as u64), "]"]), EVENT_ENTRY, shown(other))),
                    };
                    let text = match name {
                        Value::String(name) => Some(name.as_str()),
                        _ => None,
                    };
                    if let Err(bad) = map.add(text, ty, engine) {
                        let (at, got) = match bad {
                            Bad::Name => (at_name, name),
                            Bad::Type => (at_type, ty),
                        };
                        return Err(invalid(concat(&["events[", &decimal(index as u64), "]", at]), bad.expected(), shown(got)));
                    }
                }
            }
            other => return Err(invalid("events".into(), EVENTS, shown(other))),
        }
        Ok(map)
    }

    /// Adds one mapping, if the name is a string that names an event and
    /// the type a non-empty string.
    fn add(&mut self, name: Option<&str>, ty: &Value, engine: &impl Engine) -> Result<(), Bad> {
        let key = match name {
            Some(name) if !name.is_empty() && name.len() <= MAX_TEXT => normal_bytes(name, engine),
            _ => return Err(Bad::Name),
        };
        match ty {
            Value::String(t) if !t.is_empty() && t.len() <= MAX_TEXT => self.types.push(t.clone()),
            _ => return Err(Bad::Type),
        }
        self.names.push(key);
        Ok(())
    }

    /// The Convertro types (as indexes into [`EventMap::types`]) that an event
    /// name maps to, in mapping order; empty when it is not mapped. (A scan
    /// of the mappings, as Segment's integration makes.)
    pub fn lookup(&self, name: &str, engine: &impl Engine) -> Vec<usize> {
        if self.names.is_empty() {
            return Vec::new();
        }
        let key = normal_bytes(name, engine);
        self.names.iter().enumerate().filter(|(_, mapped)| **mapped == key).map(|(index, _)| index).collect()
    }

    /// Every Convertro type in mapping order.
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// Whether nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_url_refuses_exactly_backslash_whitespace_and_control_characters() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let refused = c == '\\' || c.is_whitespace() || c.is_control();
            let mut url = String::from("/live");
            url.push(c);
            assert_eq!(is_tag_url(&url), !refused, "U+{:04X}", u32::from(c));
        }
    }
}
