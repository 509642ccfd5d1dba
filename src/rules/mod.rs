//! The pure core: every rule of the destination, with no wasm or JS types.
//!
//! The binding layer describes JS values to the core as [`Value`]s and object
//! keys as plain strings; the core answers with [`Command`]s to carry out, or a
//! [`Skip`] that says why nothing was sent.

mod amount;
mod commands;
mod consent;
mod engine;
mod keys;
mod names;
pub mod outbox;
mod read;
mod settings;
mod value;

pub use amount::{amount_of, parse_float};
pub use engine::{Engine, Native};
pub use consent::{allows, preferences_at, Consent, NoPreferences, Preferences};
pub use commands::{identify, track, Command, Decision, Event, Id, ConvertroType, Properties, Skip};
pub use keys::{normalize_key, Field, Fields};
pub use names::{is_order_completed, normalize_event_name};
pub use settings::{EventMap, Settings, SettingsError, DEFAULT_TAG_HOST, MAX_CATEGORIES, MAX_EVENTS, MAX_TEXT};
pub use read::{read, read_settings, value, Js, Kind, MAX_READ_CHARS, MAX_READ_ENTRIES, SETTINGS_DEPTH};
pub use value::Value;
