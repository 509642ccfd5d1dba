//! Settings: the object Segment keeps for this destination, plus `tagUrl`
//! and `nonce`. Parsing validates every setting the browser uses and fails
//! with a [`SettingsError`] that names it and says what was expected.

use alloc::borrow::ToOwned;
use alloc::string::String;

use alloc::vec::Vec;

use super::names::normalize_into;
use crate::text::cat;
use super::Value;

/// Host of Convertro's tag: the default tag URL is
/// `https://d1ivexoxmp59q7.cloudfront.net/{account}/live.js`.
pub const DEFAULT_TAG_HOST: &str = "https://d1ivexoxmp59q7.cloudfront.net/";

/// Longest `account` accepted.
pub const MAX_ACCOUNT: usize = 128;
/// Longest `tagUrl`, `nonce`, event name or Convertro type accepted.
pub const MAX_TEXT: usize = 2048;
/// Most entries accepted in `events`.
pub const MAX_EVENTS: usize = 1000;

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    account: String,
    tag_url: String,
    nonce: Option<String>,
    hybrid: bool,
    events: EventMap,
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
                cat(&["Convertro: settings must be an object such as { account: 'acme' } (got ", got, ")."])
            }
            SettingsError::Invalid { setting, expected, got } => {
                cat(&["Convertro: setting `", setting, "` must be ", expected, " (got ", got, ")."])
            }
        }
    }

    fn invalid(setting: impl Into<String>, expected: &'static str, got: &Value) -> SettingsError {
        let got = match got {
            Value::String(s) => quote(s),
            other => other.describe().into(),
        };
        SettingsError::Invalid { setting: setting.into(), expected, got }
    }
}

/// `n` in decimal, without pulling in `core::fmt`.
fn decimal(mut n: usize) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| char::from(d)).collect()
}

/// `"text"`, cut short when long, for messages.
fn quote(s: &str) -> String {
    const SHOWN: usize = 40;
    let mut out = String::from("\"");
    match s.char_indices().nth(SHOWN) {
        Some((end, _)) => {
            out.push_str(s.get(..end).unwrap_or(""));
            out.push('…');
        }
        None => out.push_str(s),
    }
    out.push('"');
    out
}

const ACCOUNT: &str = "a non-empty string of letters, digits, '_', '-' and '.' (your Convertro account name)";
const EVENTS: &str = "an object { \"Segment event\": \"convertro type\" }, an array of { key, value } entries or an array of event names";
const EVENT_NAME: &str = "a non-empty string (a Segment event name)";
const EVENT_TYPE: &str = "a non-empty string (a Convertro event type)";
const EVENT_ENTRY: &str = "an event name or an object { key: \"Segment event\", value: \"convertro type\" }";
const HYBRID: &str = "true or false";
const TAG_URL: &str = "an absolute https: or http: URL, or a path on this site starting with a single '/'";
const NONCE: &str = "a string (the CSP nonce for the tag's script element)";

impl Settings {
    /// The settings' keys this destination reads; the binding layer reads
    /// only these from the user's object.
    pub const KEYS: [&'static str; 5] = ["account", "events", "hybridAttributionModel", "tagUrl", "nonce"];

    /// Validates settings given as the object the user passed.
    ///
    /// `settings` is a [`Value::Map`] of the settings' keys; keys this
    /// destination does not use are ignored (Segment's settings objects carry
    /// extras). `undefined` and `null` leave an optional setting unset, and so
    /// does an empty `tagUrl` or `nonce`, except `hybridAttributionModel`,
    /// which is `true`, `false` or absent.
    pub fn parse(settings: &Value) -> Result<Settings, SettingsError> {
        let Value::Map(entries) = settings else {
            return Err(SettingsError::NotAnObject { got: settings.describe() });
        };
        let get = |name: &str| entries.iter().find(|(key, _)| key == name).map_or(&Value::Undefined, |(_, v)| v);

        let account = match get("account") {
            Value::String(s) if is_account(s) => s.clone(),
            other => return Err(SettingsError::invalid("account", ACCOUNT, other)),
        };
        let hybrid = match get("hybridAttributionModel") {
            Value::Undefined => false,
            Value::Bool(b) => *b,
            other => return Err(SettingsError::invalid("hybridAttributionModel", HYBRID, other)),
        };
        let tag_url = match optional_text(get("tagUrl")) {
            Ok(None) => cat(&[DEFAULT_TAG_HOST, &account, "/live.js"]),
            Ok(Some(url)) if is_tag_url(url) => url.to_owned(),
            _ => return Err(SettingsError::invalid("tagUrl", TAG_URL, get("tagUrl"))),
        };
        let nonce = match optional_text(get("nonce")) {
            Ok(nonce) => nonce.map(str::to_owned),
            Err(()) => return Err(SettingsError::invalid("nonce", NONCE, get("nonce"))),
        };
        let events = EventMap::parse(get("events"))?;
        Ok(Settings { account, tag_url, nonce, hybrid, events })
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
}

/// A string setting that may be unset; `Err` when it is of another type or too long.
fn optional_text(value: &Value) -> Result<Option<&str>, ()> {
    match value {
        Value::Undefined | Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) if s.len() <= MAX_TEXT => Ok(Some(s)),
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
    if url.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control()) {
        return false;
    }
    let after = |scheme: &str| url.get(..scheme.len()).filter(|head| head.eq_ignore_ascii_case(scheme)).and(url.get(scheme.len()..));
    match after("https://").or_else(|| after("http://")) {
        Some(rest) => !rest.is_empty() && !rest.starts_with(['/', '?', '#', '@', ':']),
        None => url.starts_with('/') && !url.starts_with("//"),
    }
}

/// Which half of an `events` entry is wrong.
enum Bad {
    Name,
    Type,
}

impl Bad {
    /// The error for the entry at `at`, given its name and type values.
    fn error(self, at: String, name: &Value, ty: &Value) -> SettingsError {
        match self {
            Bad::Name => SettingsError::invalid(at, EVENT_NAME, name),
            Bad::Type => SettingsError::invalid(at, EVENT_TYPE, ty),
        }
    }
}

/// The `events` setting: which Segment events are sent to Convertro, as
/// which Convertro types.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventMap {
    /// Convertro types in mapping order; [`Kind::Mapped`](super::Kind) indexes it.
    types: Vec<String>,
    /// (normalised Segment name, indexes into `types` in mapping order), sorted by name.
    names: Vec<(Vec<u8>, Vec<usize>)>,
}

impl EventMap {
    /// Parses the three forms Segment's settings use: an object
    /// `{ "Segment event": "convertro type" }`, an array of `{ key, value }`,
    /// or an array of names that map to themselves.
    pub fn parse(events: &Value) -> Result<EventMap, SettingsError> {
        let mut map = EventMap::default();
        match events {
            Value::Undefined | Value::Null => {}
            Value::Map(entries) if entries.len() <= MAX_EVENTS => {
                for (name, ty) in entries {
                    let at = cat(&["events[", &quote(name), "]"]);
                    map.add(name, ty).map_err(|bad| bad.error(at, &Value::String(name.clone()), ty))?;
                }
            }
            Value::List(items) if items.len() <= MAX_EVENTS => {
                for (index, item) in items.iter().enumerate() {
                    let at = |field: &str| cat(&["events[", &decimal(index), "]", field]);
                    match item {
                        Value::String(name) => map.add(name, item).map_err(|bad| bad.error(at(""), item, item))?,
                        Value::Map(fields) => {
                            let get = |k: &str| fields.iter().find(|(f, _)| f == k).map_or(&Value::Undefined, |(_, v)| v);
                            let (key, value) = (get("key"), get("value"));
                            let result = match key {
                                Value::String(name) => map.add(name, value),
                                _ => Err(Bad::Name),
                            };
                            result.map_err(|bad| match bad {
                                Bad::Name => bad.error(at(".key"), key, value),
                                Bad::Type => bad.error(at(".value"), key, value),
                            })?;
                        }
                        other => return Err(SettingsError::invalid(at(""), EVENT_ENTRY, other)),
                    }
                }
            }
            other => return Err(SettingsError::invalid("events", EVENTS, other)),
        }
        Ok(map)
    }

    /// Adds one mapping.
    fn add(&mut self, name: &str, ty: &Value) -> Result<(), Bad> {
        if name.len() > MAX_TEXT {
            return Err(Bad::Name);
        }
        let mut key = Vec::new();
        normalize_into(name, &mut key);
        if key.is_empty() {
            return Err(Bad::Name);
        }
        let ty = match ty {
            Value::String(t) if !t.is_empty() && t.len() <= MAX_TEXT => t.clone(),
            _ => return Err(Bad::Type),
        };
        let index = self.types.len();
        self.types.push(ty);
        // Kept sorted by name as it is built, for lookups by binary search.
        match self.names.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(found) => {
                if let Some((_, indexes)) = self.names.get_mut(found) {
                    indexes.push(index);
                }
            }
            Err(at) => self.names.insert(at, (key, alloc::vec![index])),
        }
        Ok(())
    }

    /// The Convertro types (as indexes into [`EventMap::types`]) that an event
    /// name maps to, in mapping order; empty when it is not mapped.
    pub fn lookup(&self, name: &str) -> &[usize] {
        self.group_of(name).map_or(&[], |group| self.group(group))
    }

    /// The group of mapped types an event name belongs to: an index that
    /// [`EventMap::group`] turns into the types, so a caller can remember
    /// the answer for a name.
    pub fn group_of(&self, name: &str) -> Option<usize> {
        if self.names.is_empty() {
            return None;
        }
        let mut key = Vec::new();
        normalize_into(name, &mut key);
        self.names.binary_search_by(|(k, _)| k.cmp(&key)).ok()
    }

    /// The Convertro types (as indexes into [`EventMap::types`]) of a group
    /// from [`EventMap::group_of`], in mapping order.
    pub fn group(&self, group: usize) -> &[usize] {
        self.names.get(group).map_or(&[], |(_, indexes)| indexes.as_slice())
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
