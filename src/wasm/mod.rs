//! The binding: the [`Destination`] that `js/index.js` gives analytics.js as
//! a plugin and as a classic integration source. It reads from the page
//! what the rules ask for ([`bridge`]), and carries out what they decide:
//! pushes onto `window.$CVO`, debug lines, Convertro's tag ([`tag`]). It
//! holds no rules of its own.
//!
//! # One Order Completed, from `track(ctx)` to `$CVO.push`
//!
//! 1. analytics-next calls the plugin's `track(ctx)` (the classic source's
//!    `invoke('track', facade)` makes `{ event: facade.rawEvent() }`), and
//!    js/index.js calls [`Destination::track`].
//! 2. It makes a [`bridge::EventReader`] for `ctx` (which reads `ctx.event`)
//!    and calls [`rules::track`] with it.
//! 3. The rules ask the reader for the name (`event.event`), decide from it
//!    alone that this is an order (or a mapped event, or nothing: then
//!    nothing more is read), ask for the consent preferences if the settings
//!    have consent categories, then for the property keys, and for the
//!    value of each property they need (`id`, `order_id`, `total`,
//!    `revenue`, `repeat`, each while its answer is still open). Each of
//!    these is one `bridge.js` `get` or `keys` that cannot throw into wasm.
//! 4. They return a [`Decision`]: the commands (`TrackEvent { kind, id,
//!    amount }`) and, if anything was held back, why.
//! 5. For each command, `bridge.js` `trackEvent(type, id, amount)` builds
//!    `{ type, id, amount }` and pushes `['trackEvent', payload]` onto
//!    `window.$CVO` (an array until Convertro's tag replaces it); a skip or a
//!    failed push becomes one `ctx.log('debug', …)` line (`bridge.js` `log`).
//! 6. With consent categories, the first command sent lets the tag load
//!    ([`Destination::load`] waits until then).
//!
//! identify is the same with [`rules::identify`], and `trackUser(event, id)`
//! pushes a copy of the traits with `id` set to the userId.

mod bridge;
mod storage;
mod tag;

use alloc::vec::Vec;
use core::cell::Cell;

use js_sys::{Array, Date, Function};
use wasm_bindgen::prelude::*;

use crate::rules::outbox::{self, Entry, Note, Outbox, Sized, Taken};
use crate::rules::{self, Command, Engine, Id, Settings, Skip};
use bridge::{EventReader, Names};
use storage::Stash;

/// One configured Convertro destination.
#[wasm_bindgen]
pub struct Destination {
    settings: Settings,
    /// The names events are read by, made into JS strings once.
    names: Names,
    /// Whether a command has been sent: with consent categories, the tag is
    /// not injected before.
    sent: Cell<bool>,
    /// `load`'s resolve and reject, while the tag waits for that.
    waiting: Cell<Option<(Function, Function)>>,
    /// The commands pushed while the tag has not loaded ([`rules::outbox`]).
    /// Taken out and put back around pure Rust only, so that page code a
    /// call runs can never see it half changed.
    outbox: Cell<Outbox<JsValue>>,
    /// Whether what an earlier page left has been taken and replayed.
    replayed: Cell<bool>,
    /// Whether `pagehide` stored this page's outbox (its entries may be
    /// taken back, or have been replayed elsewhere, when the page returns).
    stashed: Cell<bool>,
    /// The classic source (no per-event log): outbox notes go to one
    /// `console.warn` per page instead of `ctx.log('debug', …)`.
    classic: bool,
    /// An outbox note waiting for the next event's `ctx.log` (plugin), and
    /// whether this page's one note was given.
    note: Cell<Option<Note>>,
    warned: Cell<bool>,
}

#[wasm_bindgen]
impl Destination {
    /// Validates the settings: an `Error` naming the bad setting. `classic`:
    /// made for the classic integration source.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: &JsValue, classic: bool) -> Result<Destination, js_sys::Error> {
        match Settings::parse_in(&bridge::settings(settings), &Browser) {
            Ok(settings) => Ok(Destination {
                settings,
                names: Names::new(),
                sent: Cell::new(false),
                waiting: Cell::new(None),
                outbox: Cell::new(Outbox::default()),
                replayed: Cell::new(false),
                stashed: Cell::new(false),
                classic,
                note: Cell::new(None),
                warned: Cell::new(false),
            }),
            Err(error) => Err(js_sys::Error::new(&error.message())),
        }
    }

    /// identify → `trackUser`.
    pub fn identify(&self, ctx: &JsValue) {
        let mut event = EventReader::of(ctx, &self.names);
        let decision = rules::identify(&self.settings, &mut event);
        log(ctx, decision.skipped);
        if let (Some(Command::TrackUser { user_id }), Ok(raw)) = (decision.commands.first(), event.event()) {
            self.before_sending();
            let (command, traits_read) = event.user_command(raw, &js_id(user_id));
            if !traits_read {
                log(ctx, Some(Skip::TraitsUnreadable));
            }
            self.push(ctx, command);
        }
        self.noted(ctx);
    }

    /// track → `trackEvent`s, for Order Completed and mapped events.
    pub fn track(&self, ctx: &JsValue) {
        let decision = rules::track(&self.settings, &mut EventReader::of(ctx, &self.names), &Browser);
        log(ctx, decision.skipped);
        if !decision.commands.is_empty() {
            self.before_sending();
        }
        for command in &decision.commands {
            if let Command::TrackEvent { kind, id, amount } = command {
                let id = id.as_ref().map_or(JsValue::UNDEFINED, js_id);
                self.push(ctx, bridge::event_command(kind.name(&self.settings), &id, *amount));
            }
        }
        self.noted(ctx);
    }

    /// Makes the `$CVO` queue and injects the tag; calls `resolve()` when
    /// the tag has loaded and `reject(error)` when it failed. With consent
    /// categories, only once a command has been sent (until then `resolve`
    /// and `reject` wait); without, what an earlier page left is replayed
    /// first. js/index.js calls it once per destination.
    pub fn load(&self, resolve: &Function, reject: &Function) {
        if self.settings.categories().is_empty() || self.sent.get() {
            self.replay();
            tag::load(&self.settings, resolve, reject)
        } else {
            self.waiting.set(Some((resolve.clone(), reject.clone())));
        }
    }

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
    /// Before the first command is pushed: replay what an earlier page left
    /// (with consent categories, this is the first event that may be sent),
    /// and let the tag load if `load` is waiting for that.
    fn before_sending(&self) {
        self.replay();
        if !self.sent.replace(true) {
            if let Some((resolve, reject)) = self.waiting.take() {
                tag::load(&self.settings, &resolve, &reject);
            }
        }
    }

    /// Pushes a command onto `$CVO` and keeps it in the outbox until the tag
    /// has it.
    fn push(&self, ctx: &JsValue, command: JsValue) {
        if !bridge::push(&command) {
            return log(ctx, Some(Skip::PushFailed));
        }
        if !self.delivered() {
            self.keep(Entry { id: bridge::fresh_id(), at: Date::now(), command });
        }
    }

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
    fn delivered(&self) -> bool {
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
    fn keep(&self, entry: Entry<JsValue>) {
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
    fn replay(&self) {
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
    fn noted(&self, ctx: &JsValue) {
        if let Some(note) = self.note.take() {
            bridge::log(ctx, note.message());
        }
    }
}

/// Whether Convertro's tag has loaded (`window.$CVO.trackEvent` is a function).
#[wasm_bindgen(js_name = isLoaded)]
pub fn is_loaded() -> bool {
    bridge::is_loaded()
}

/// An id as it is pushed: a string, or a number (`trackEvent` sends it as
/// `String(id)`; `trackUser` as it is).
fn js_id(id: &Id) -> JsValue {
    match id {
        Id::Text(text) => JsValue::from_str(text),
        Id::Number(n) => JsValue::from_f64(*n),
    }
}

/// `ctx.log('debug', …)` with why something was not sent.
fn log(ctx: &JsValue, skipped: Option<Skip>) {
    if let Some(skip) = skipped {
        bridge::log(ctx, skip.message());
    }
}

/// The browser's own `parseFloat` and `toLowerCase`, for the rules (see
/// [`Engine`]).
struct Browser;

impl Engine for Browser {
    fn parse_float(&self, s: &str) -> f64 {
        js_sys::parse_float(s)
    }

    fn to_lower_case(&self, s: &str) -> alloc::string::String {
        js_sys::JsString::from(s).to_lower_case().into()
    }
}
