//! Consent, enforced the way Segment's Consent Management enforces it for a
//! destination: when the destination has consent categories
//! (`consentSettings.categories`) and an event carries
//! `context.consent.categoryPreferences`, the event is sent only if every
//! one of those categories is `true` there. A category missing from the
//! preferences counts as not consented. An event without preferences is
//! sent: "Events without the consent object continue to flow to
//! destinations without consent enforcement" (Segment's docs).

use alloc::string::String;

use super::read::{Js, Kind};
use super::Value;

/// What an event's `context.consent.categoryPreferences` is, as the
/// binding reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preferences {
    /// There are none: no context, no consent object, or preferences that
    /// are `undefined` or `null`.
    Absent,
    /// An object (an array too): the values under the categories are read.
    Object,
    /// Anything else, or reading them threw: they grant nothing.
    Other,
}

/// What an event's preferences are, read along `path` (`context`, `consent`,
/// `categoryPreferences`) from `event`, and the preferences themselves when
/// they are an object. A context or consent that is not an object counts as
/// absent; preferences that are not an object (and not `undefined` or
/// `null`) or a read that threw, as other.
pub fn preferences_at<J: Js>(event: &J, path: [&J; 3]) -> (Preferences, Option<J>) {
    let mut at: Option<J> = None;
    for (step, name) in path.into_iter().enumerate() {
        let next = at.as_ref().unwrap_or(event).get(name);
        match next.kind() {
            Kind::Threw => return (Preferences::Other, None),
            kind if kind.is_object() => at = Some(next),
            Kind::Undefined | Kind::Null => return (Preferences::Absent, None),
            _ if step < 2 => return (Preferences::Absent, None),
            _ => return (Preferences::Other, None),
        }
    }
    (Preferences::Object, at)
}

/// An event's consent preferences, read only as far as [`allows`] asks.
pub trait Consent {
    /// What the event's preferences are.
    fn preferences(&mut self) -> Preferences;
    /// The preferences' value under `category` (one of the settings'
    /// [`categories`](super::Settings::categories)).
    fn granted(&mut self, category: &str) -> Value;
}

/// No consent information: what an event without `context.consent` gives.
pub struct NoPreferences;

impl Consent for NoPreferences {
    fn preferences(&mut self) -> Preferences {
        Preferences::Absent
    }

    fn granted(&mut self, _: &str) -> Value {
        Value::Undefined
    }
}

/// Whether an event may be sent to a destination with consent `categories`.
/// Reads nothing when there are no categories; reads the values under the
/// categories only when the preferences are an object, in order, until one
/// is not the boolean `true` (the string `"true"`, `1` or a missing category
/// grant nothing).
pub fn allows<C: Consent + ?Sized>(categories: &[String], consent: &mut C) -> bool {
    if categories.is_empty() {
        return true;
    }
    match consent.preferences() {
        Preferences::Absent => true,
        Preferences::Other => false,
        Preferences::Object => categories.iter().all(|category| matches!(consent.granted(category), Value::Bool(true))),
    }
}
