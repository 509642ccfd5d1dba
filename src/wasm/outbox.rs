//! The destination's outbox ([`rules::outbox`](crate::rules::outbox)):
//! what it does with the commands pushed while Convertro's tag has not
//! loaded. It keeps them ([`Destination::keep`]), stores them when the page
//! goes ([`Destination::pagehide`]), takes them back when the page returns
//! from the back/forward cache ([`Destination::pageshow`]), and replays what
//! an earlier page stored ([`Destination::replay`]). `localStorage` is
//! reached through [`Stash`]; every decision is the rules'.

use alloc::vec::Vec;

use js_sys::{Array, Date};
use wasm_bindgen::prelude::*;

use super::storage::Stash;
use super::{bridge, Destination};
use crate::rules::outbox::{self, Entry, Note, Outbox, Sized, Taken};

#[wasm_bindgen]
impl Destination {
    /// The page is going (`pagehide`): what the tag has not received is
    /// stored for the next page, merged with what is there.
    pub fn pagehide(&self) {
        let mine = self.kept();
        if mine.is_empty() {
            return;
        }
        let Ok(stash) = Stash::open(self.settings.account()) else { return };
        let now = Date::now();
        // Each entry that may be written: the object written for it, in
        // `objects`, and for the rules its place there, id, time and
        // serialized length. What is stored comes first, then this page's.
        let objects = Array::new();
        let mut entries = Vec::new();
        let mut offer = |id: f64, at: f64, command: &JsValue| {
            let object = bridge::entry(id, at, command);
            if let Some(chars) = bridge::size(&object) {
                entries.push(Sized { entry: Entry { id, at, command: objects.length() }, chars: chars as usize });
                objects.push(&object);
            }
        };
        let parsed = stash.read().unwrap_or(JsValue::UNDEFINED);
        for stored in outbox::stored(&bridge::stored(&parsed), now).entries {
            offer(stored.id, stored.at, &bridge::stored_command(&parsed, stored.index));
        }
        for entry in &mine {
            offer(entry.id, entry.at, &entry.command);
        }
        let written: Array = outbox::merge(entries, now).0.iter().map(|entry| objects.get(entry.command)).collect();
        self.stashed.set(stash.write(&written).is_ok());
    }

    /// The page is back from the back/forward cache (`pageshow` with
    /// `persisted`): its own queue is alive again and will deliver what it
    /// kept, so it takes back what is stored. What of its own is no longer
    /// stored was taken and replayed by another page: it leaves this page's
    /// queue. What another page stored meanwhile is replayed here, as a new
    /// page would.
    pub fn pageshow(&self) {
        if !self.stashed.replace(false) {
            return;
        }
        let Ok(parsed) = Stash::open(self.settings.account()).and_then(|stash| stash.take()) else { return };
        let taken = outbox::stored(&bridge::stored(&parsed), Date::now());
        let gone = self.with_outbox(|outbox| outbox.keep_only(|id| taken.entries.iter().any(|stored| stored.id == id)));
        for entry in gone {
            bridge::unqueue(&entry.command);
        }
        self.push_stored(&parsed, taken);
    }
}

impl Destination {
    /// `f` on the outbox, taken out of its cell and put back: `f` is pure
    /// Rust, so page code can never see the outbox half changed.
    fn with_outbox<R>(&self, f: impl FnOnce(&mut Outbox<JsValue>) -> R) -> R {
        let mut outbox = self.outbox.take();
        let result = f(&mut outbox);
        self.outbox.set(outbox);
        result
    }

    /// Whether the tag has everything pushed so far: it has loaded. Asked
    /// of the page only until it has; after that nothing more is kept.
    pub(super) fn delivered(&self) -> bool {
        if self.with_outbox(|outbox| outbox.is_delivered()) {
            return true;
        }
        let loaded = bridge::is_loaded();
        if loaded {
            self.with_outbox(Outbox::delivered);
        }
        loaded
    }

    /// Keeps an entry in the outbox (the caller knows the tag has not loaded).
    pub(super) fn keep(&self, entry: Entry<JsValue>) {
        if self.with_outbox(|outbox| outbox.keep(entry)) > 0 {
            self.note(Note::Dropped);
        }
    }

    /// The entries the tag has not received (none once it has loaded).
    fn kept(&self) -> Vec<Entry<JsValue>> {
        if self.delivered() {
            return Vec::new();
        }
        self.with_outbox(|outbox| outbox.entries().to_vec())
    }

    /// Takes what an earlier page of this origin left for this account (once
    /// per page) and pushes it ([`Destination::push_stored`]).
    pub(super) fn replay(&self) {
        if self.replayed.replace(true) {
            return;
        }
        let Ok(parsed) = Stash::open(self.settings.account()).and_then(|stash| stash.take()) else {
            return self.note(Note::Unavailable);
        };
        self.push_stored(&parsed, outbox::stored(&bridge::stored(&parsed), Date::now()));
    }

    /// Pushes what was taken from storage (`parsed`, checked into `taken`),
    /// oldest first, keeping it in the outbox; an entry already kept here
    /// is already in this page's queue.
    fn push_stored(&self, parsed: &JsValue, taken: Taken) {
        if taken.dropped > 0 {
            self.note(Note::Dropped);
        }
        for entry in taken.entries {
            if self.with_outbox(|outbox| outbox.holds(entry.id)) {
                continue;
            }
            let command = bridge::stored_command(parsed, entry.index);
            if bridge::push(&command) && !self.delivered() {
                self.keep(Entry { id: entry.id, at: entry.at, command });
            }
        }
    }

    /// Says something about the outbox, once per page: one `console.warn`
    /// for the classic source, otherwise one `ctx.log('debug', …)` line on the
    /// event at hand (or the next).
    fn note(&self, note: Note) {
        if self.warned.replace(true) {
            return;
        }
        if self.classic {
            bridge::warn(note.message());
        } else {
            self.note.set(Some(note));
        }
    }

    /// Logs a waiting outbox note on this event's context (the event that
    /// caused it, or the first after a page's start).
    pub(super) fn noted(&self, ctx: &JsValue) {
        if let Some(note) = self.note.take() {
            bridge::log(ctx, note.message());
        }
    }
}
