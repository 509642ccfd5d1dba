//! The outbox: every command pushed while Convertro's tag has not loaded is
//! kept, so that a visitor who leaves the page before it loads loses none.
//!
//! - While the tag has not loaded, each command pushed onto `$CVO` is also
//!   kept ([`Outbox::keep`]); once it has loaded, the outbox is
//!   [delivered](Outbox::delivered) and nothing more is kept.
//! - When the page goes (`pagehide`), the commands still kept are written to
//!   `localStorage` under [`storage_key`], merged with what another tab may
//!   have written there ([`merge`]). Nothing is written for an empty outbox.
//! - The next page of the same origin takes them ([`stored`]: only
//!   well-formed, unexpired entries, oldest first) and pushes them before any
//!   command of its own, keeping them in its outbox in turn.
//! - Within bounds: at most [`MAX_ENTRIES`] entries and [`MAX_CHARS`] of
//!   serialized text, none older than [`MAX_AGE_MS`]; beyond a bound the
//!   oldest go first.
//!
//! The rules here know entries by id, time and serialized size; what a
//! command holds is the binding's (`C`), except where [`stored`] checks that
//! stored text has the exact shape of a command.

use alloc::string::String;
use alloc::vec::Vec;

use super::Value;
use crate::text::concat;

/// Most entries kept; beyond it the oldest are dropped.
pub const MAX_ENTRIES: usize = 100;
/// Most serialized text kept in storage, in UTF-16 units (`String.length`
/// of what is written); beyond it the oldest entries are dropped.
pub const MAX_CHARS: usize = 100_000;
/// Entries older than this (24 hours, in milliseconds) are dropped.
pub const MAX_AGE_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;
/// Entry ids are whole numbers below this (2^53: every one is exact as a
/// JavaScript number and in JSON).
pub const ID_LIMIT: f64 = 9_007_199_254_740_992.0;

/// A new entry id from `random` (JavaScript's `Math.random()`, in [0, 1)):
/// its whole part scaled to [`ID_LIMIT`] (anything outside [0, 1) gives an
/// id at the nearer end).
pub fn new_id(random: f64) -> f64 {
    ((random * ID_LIMIT) as u64).min(ID_LIMIT as u64 - 1) as f64
}

/// Whether stored text of this many UTF-8 bytes may be read at all:
/// anything longer than this destination ever writes ([`MAX_CHARS`] UTF-16
/// units, at most 3 bytes each) was not written by it, and is dropped unread.
pub fn readable(utf8_bytes: usize) -> bool {
    utf8_bytes <= 3 * MAX_CHARS
}

/// The `localStorage` key of an account's outbox (versioned: an older
/// format is never read as this one).
pub fn storage_key(account: &str) -> String {
    concat(&["convertro:v1:", account, ":outbox"])
}

/// One kept command.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<C> {
    /// Unique across pages and tabs (a random whole number below 2^53): a
    /// page that comes back from the back/forward cache takes back what it
    /// wrote by id.
    pub id: f64,
    /// When it was first pushed (milliseconds since the epoch); a replayed
    /// entry keeps its time.
    pub at: f64,
    /// The command, as the binding holds it (or where it holds it: when the
    /// page goes, an index into the objects it may write).
    pub command: C,
}

/// The commands of one destination on one page that the tag has not
/// received yet.
#[derive(Debug, Clone)]
pub struct Outbox<C> {
    entries: Vec<Entry<C>>,
    delivered: bool,
}

impl<C> Default for Outbox<C> {
    fn default() -> Self {
        Outbox { entries: Vec::new(), delivered: false }
    }
}

impl<C> Outbox<C> {
    /// Keeps a command just pushed, unless the tag has loaded. Beyond
    /// [`MAX_ENTRIES`] the oldest entry is dropped: returns how many were.
    pub fn keep(&mut self, entry: Entry<C>) -> usize {
        if self.delivered {
            return 0;
        }
        self.entries.push(entry);
        let over = self.entries.len().saturating_sub(MAX_ENTRIES);
        self.entries.drain(..over);
        over
    }

    /// The tag has loaded: it has every command pushed so far, and takes
    /// every later one as it is pushed. Nothing is kept from now on.
    pub fn delivered(&mut self) {
        self.delivered = true;
        self.entries.clear();
    }

    /// Whether the tag has loaded.
    pub fn is_delivered(&self) -> bool {
        self.delivered
    }

    /// The commands kept, oldest first.
    pub fn entries(&self) -> &[Entry<C>] {
        &self.entries
    }

    /// Whether an entry with this id is kept here.
    pub fn holds(&self, id: f64) -> bool {
        self.entries.iter().any(|entry| entry.id == id)
    }

    /// Keeps only the entries whose id `still` accepts; returns the others,
    /// oldest first. (Back from the back/forward cache: an entry this page
    /// stored that is no longer stored was taken and replayed by another
    /// page, and must not be delivered from here too.)
    pub fn keep_only(&mut self, still: impl Fn(f64) -> bool) -> Vec<Entry<C>> {
        let (kept, gone) = core::mem::take(&mut self.entries).into_iter().partition(|entry| still(entry.id));
        self.entries = kept;
        gone
    }
}

/// Something to tell about the outbox, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// `localStorage` cannot be used here: nothing survives the page.
    Unavailable,
    /// Entries were dropped: beyond a limit, expired, or malformed in storage.
    Dropped,
}

impl Note {
    /// The line to log.
    pub fn message(self) -> &'static str {
        match self {
            Note::Unavailable => "Convertro: localStorage is not available here, so commands sent before Convertro's tag loads are lost if the visitor leaves first.",
            Note::Dropped => "Convertro: the outbox dropped its oldest commands (beyond 100 commands, 100,000 characters or 24 hours, or not well-formed in storage).",
        }
    }
}

/// A stored entry as [`stored`] accepts it: its place in the stored list,
/// its id and time, and its command's serialized text once known.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// Its index in the stored list (the binding pushes that element's
    /// `command`, exactly as stored).
    pub index: usize,
    /// Its id.
    pub id: f64,
    /// When it was first pushed.
    pub at: f64,
}

/// What [`stored`] found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Taken {
    /// The well-formed, unexpired entries, oldest first, within the limits.
    pub entries: Vec<Stored>,
    /// How many were dropped: malformed, expired, or beyond a limit.
    pub dropped: usize,
}

/// The entries of what was stored, as the binding parsed it (`JSON.parse`)
/// and read it into a [`Value`]: a list of `{ id, at, command }` objects.
/// Only entries whose command has the exact shape of one this destination
/// pushes are kept, unexpired at `now`, oldest first, within [`MAX_ENTRIES`]
/// (the newest kept). Anything else (not a list, another shape, another
/// version's format) is dropped.
pub fn stored(value: &Value, now: f64) -> Taken {
    let Value::List(items) = value else {
        return Taken { entries: Vec::new(), dropped: usize::from(!matches!(value, Value::Undefined | Value::Null)) };
    };
    let mut taken = Taken::default();
    for (index, item) in items.iter().enumerate() {
        match well_formed(item) {
            Some((id, at)) if fresh(at, now) => in_order(&mut taken.entries, Stored { index, id, at }, |entry| entry.at),
            _ => taken.dropped += 1,
        }
    }
    let over = taken.entries.len().saturating_sub(MAX_ENTRIES);
    taken.entries.drain(..over);
    taken.dropped += over;
    taken
}

/// Inserts `item` after every entry no later than it (oldest first; equal
/// times keep the order they came in). A sort would cost kilobytes of wasm.
fn in_order<T>(list: &mut Vec<T>, item: T, at: impl Fn(&T) -> f64) {
    let time = at(&item);
    let place = list.partition_point(|entry| at(entry) <= time);
    list.insert(place, item);
}

/// Whether an entry time is within [`MAX_AGE_MS`] of `now` (and not from
/// the future by more than that either: a clock set back is no reason to
/// keep an entry for ever).
fn fresh(at: f64, now: f64) -> bool {
    (now - at).abs() <= MAX_AGE_MS
}

/// The id and time of a well-formed stored entry: an object with exactly
/// `id` (a whole number from 0 to 2^53), `at` (a finite
/// number) and `command`, which is `['trackEvent', { type, id?, amount? }]`
/// (`type` a non-empty string, `id` a string, `amount` a finite number,
/// nothing else) or `['trackUser', { …traits, id }]` (`id` a non-empty
/// string or a finite number).
fn well_formed(entry: &Value) -> Option<(f64, f64)> {
    let Value::Map(fields) = entry else { return None };
    if fields.len() != 3 {
        return None;
    }
    let id = match field(fields, "id")? {
        Value::Number(id) if is_id(*id) => *id,
        _ => return None,
    };
    let at = match field(fields, "at")? {
        Value::Number(at) if at.is_finite() => *at,
        _ => return None,
    };
    is_command(field(fields, "command")?).then_some((id, at))
}

/// The value under `name`, if the entries have it.
fn field<'a>(fields: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value)
}

/// An id this destination makes: a whole number from 0 to [`ID_LIMIT`].
fn is_id(id: f64) -> bool {
    (0.0..=ID_LIMIT).contains(&id) && id as u64 as f64 == id
}

/// Whether a value has the exact shape of a command this destination pushes.
pub fn is_command(command: &Value) -> bool {
    let Value::List(parts) = command else { return false };
    let [Value::String(name), Value::Map(payload)] = parts.as_slice() else { return false };
    match name.as_str() {
        "trackEvent" => payload.iter().all(|(key, value)| match (key.as_str(), value) {
            ("type", Value::String(kind)) => !kind.is_empty(),
            ("id", Value::String(_)) => true,
            ("amount", Value::Number(amount)) => amount.is_finite(),
            _ => false,
        }) && field(payload, "type").is_some(),
        "trackUser" => match field(payload, "id") {
            Some(Value::String(id)) => !id.is_empty(),
            Some(Value::Number(id)) => id.is_finite(),
            _ => false,
        },
        _ => false,
    }
}

/// An entry with the length of its serialized text (`JSON.stringify` of
/// `{ id, at, command }`, in UTF-16 units), ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sized<C> {
    /// The entry.
    pub entry: Entry<C>,
    /// Its serialized length.
    pub chars: usize,
}

/// What to write when the page goes: `entries` are what is stored now
/// (another tab may have written since this page took it) followed by this
/// page's own; one entry per id (a later one replaces an earlier, so this
/// page's are kept), oldest first, unexpired at `now`, within
/// [`MAX_ENTRIES`] and [`MAX_CHARS`] (the oldest dropped first). Returns
/// the entries to write, in order (none: remove the key), and how many
/// were dropped.
pub fn merge<C>(entries: Vec<Sized<C>>, now: f64) -> (Vec<Entry<C>>, usize) {
    let mut all = Vec::new();
    let mut dropped = 0;
    for sized in entries {
        all.retain(|kept: &Sized<C>| kept.entry.id != sized.entry.id);
        if fresh(sized.entry.at, now) && is_id(sized.entry.id) {
            in_order(&mut all, sized, |sized| sized.entry.at);
        } else {
            dropped += 1;
        }
    }
    // The newest entries within both limits (a list's brackets and commas
    // counted too).
    let mut chars = 1;
    let keep = all.iter().rev().take(MAX_ENTRIES).take_while(|sized| {
        chars += sized.chars + 1;
        chars <= MAX_CHARS
    });
    let keep = keep.count();
    let skip = all.len() - keep;
    (all.into_iter().skip(skip).map(|sized| sized.entry).collect(), dropped + skip)
}
