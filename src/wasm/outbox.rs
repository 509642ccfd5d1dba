//! The destination's outbox ([`rules::outbox`](crate::rules::outbox)): the
//! rules' [`Page`] over this page's `localStorage` and `$CVO` queue
//! ([`Here`]), and the calls that drive them. A command pushed while the tag
//! has not loaded is kept and written at once ([`Destination::keep`]); a
//! tick ([`tick`], every [`TICK_MS`] while there is anything
//! to renew or wait on, and when the tag loads or the page comes back from
//! the back/forward cache) renews this page's lease and waits on, claims
//! or takes what other pages left; `pagehide` releases the lease. Every
//! decision, and the format of what is stored, is the rules'.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::Date;
use wasm_bindgen::prelude::*;

use super::bridge::{self, Read};
use super::{made, Destination};
use crate::rules::outbox::{self, Entry, Method, Note, Outbox, Page, Stored, MAX_STORED, TICK_MS};
use crate::rules::{self, Js, Kind, Value};
use crate::text::concat;

/// The page is going (`pagehide`): destination `n`'s lease is released,
/// so that the next page takes what it kept at once.
#[wasm_bindgen]
pub fn pagehide(n: u32) {
    if let Some(destination) = made(n) {
        destination.with_outbox(|outbox, page| outbox.release(page));
    }
}

/// The page is back from the back/forward cache (`pageshow` with
/// `persisted`): destination `n`'s outbox ticks again, at once
/// ([`Outbox::back`]).
#[wasm_bindgen]
pub fn pageshow(n: u32) {
    if let Some(destination) = made(n) {
        destination.with_outbox(|outbox, _| outbox.back());
        destination.tick(false);
    }
}

/// Destination `n`'s outbox tick ([`Destination::tick`]): `timer` when
/// js/index.js's ticker calls it, false when the tag has loaded.
#[wasm_bindgen]
pub fn tick(n: u32, timer: bool) {
    if let Some(destination) = made(n) {
        destination.tick(timer);
    }
}

/// A call that came before the WebAssembly was ready (`method` "track"
/// or "identify"), in order, for destination `n`; `index` names its call
/// key when js/index.js could write one. A call key that is gone was taken
/// by another page, which sent it (module docs of the rules, rule 5): it is
/// not sent here. Otherwise it is sent as it would have been, and its key
/// goes.
#[wasm_bindgen]
pub fn adopt(n: u32, method: &str, ctx: &JsValue, index: Option<u32>) {
    let Some(destination) = made(n) else { return };
    let key = index.map(|index| outbox::call_key(destination.me(), index));
    let page = Here { destination };
    if key.as_ref().is_some_and(|key| !page.has(key)) {
        return;
    }
    let method = if method == "identify" { Method::Identify } else { Method::Track };
    destination.send(ctx, destination.decide(method, ctx));
    if let Some(key) = key {
        page.remove(&key);
    }
}

impl Destination {
    /// The outbox's tick: see [`Outbox::tick`]. `timer`: called by its own
    /// timer ([`tick`]), which is then no longer set; otherwise called at
    /// once (the tag's load, `pageshow`), beside a timer that may be set.
    /// Sets the next timer while there is anything to renew or wait on, and
    /// only one.
    pub(super) fn tick(&self, timer: bool) {
        if timer {
            self.scheduled.set(false);
        }
        let open = self.open.get();
        let Some((busy, dropped)) = self.with_outbox(|outbox, page| outbox.tick(page, Date::now(), open)) else { return };
        if dropped > 0 {
            self.note(Note::Dropped);
        }
        if busy {
            self.schedule();
        }
    }

    /// `f` on the outbox and this page; `None` in a call that page code
    /// makes while the outbox is in use (a push, or a command's `toJSON` as
    /// it is stored, can run page code that calls the destination again):
    /// that call leaves the outbox alone.
    fn with_outbox<R>(&self, f: impl FnOnce(&mut Outbox<JsValue>, &Here) -> R) -> Option<R> {
        let mut outbox = self.outbox.try_borrow_mut().ok()?;
        Some(f(&mut outbox, &Here { destination: self }))
    }

    /// Keeps commands just pushed (the rules keep nothing once the tag has
    /// loaded), written at once, and sets the tick that renews the lease.
    pub(super) fn keep(&self, commands: Vec<JsValue>) {
        // Once the tag has loaded nothing is kept, and storage is not touched.
        if commands.is_empty() || self.delivered() {
            return;
        }
        let now = Date::now();
        let entries = commands.into_iter().map(|command| Entry { at: now, command }).collect();
        let Some((dropped, delivered)) = self.with_outbox(|outbox, page| (outbox.keep(page, entries, now), outbox.is_delivered())) else { return };
        if dropped > 0 {
            self.note(Note::Dropped);
        }
        if !delivered {
            self.schedule();
        }
    }

    /// Whether the outbox knows the tag has loaded (it keeps nothing more),
    /// or is in use by the call that page code interrupted.
    fn delivered(&self) -> bool {
        self.outbox.try_borrow().map_or(true, |outbox| outbox.is_delivered())
    }

    /// Lets this page take what other pages left (once per page: with
    /// consent categories, at the first event that may be sent), and looks
    /// at once.
    pub(super) fn open(&self) {
        if self.open.replace(true) {
            return;
        }
        if !bridge::stores() {
            self.note(Note::Unavailable);
        }
        self.tick(false);
    }

    /// Sets the tick's timer, unless it is set.
    fn schedule(&self) {
        if !self.scheduled.replace(true) {
            drop(bridge::global().set_timeout_with_callback_and_timeout_and_arguments_0(&self.ticker, TICK_MS as i32));
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

/// This page, as the rules' outbox sees it: `$CVO` and `localStorage`
/// under the account's prefix (when the page may use it), through
/// `bridge.js`. A storage failure (a throwing getter, a full quota) reads as
/// nothing stored, or a write refused.
struct Here<'a> {
    destination: &'a Destination,
}

impl Here<'_> {
    /// `key` below the account's prefix.
    fn key(&self, key: &str) -> String {
        concat(&[&self.destination.prefix, key])
    }

    /// What is stored under `key`, parsed, within what this destination
    /// ever writes (undefined when nothing, or not JSON).
    fn stored(&self, key: &str) -> Read {
        Read::of(bridge::stored_value(&self.key(key), MAX_STORED))
    }
}

impl Page for Here<'_> {
    type Command = JsValue;

    fn loaded(&self) -> bool {
        bridge::is_loaded()
    }

    fn push(&self, command: &JsValue) -> bool {
        bridge::push(command)
    }

    fn unqueue(&self, command: &JsValue) {
        bridge::unqueue(command);
    }

    fn keys(&self) -> Option<Vec<String>> {
        let keys = bridge::stored_keys(&self.destination.prefix)?;
        Some(keys.split(|c| c == '\0').filter(|key| !key.is_empty()).map(String::from).collect())
    }

    fn value(&self, key: &str, depth: u32) -> Value {
        rules::read(&self.stored(key), depth)
    }

    fn command(&self, key: &str) -> JsValue {
        self.stored(key).get(&Read::name("command")).into_js()
    }

    fn decide(&self, key: &str, method: Method) -> Vec<JsValue> {
        let event = self.stored(key).get(&Read::name("call")).get(&Read::index(1));
        self.destination.decide(method, &bridge::context(&event.into_js()))
    }

    fn has(&self, key: &str) -> bool {
        self.stored(key).kind() != Kind::Undefined
    }

    fn write(&self, key: &str, value: Stored<'_, JsValue>) -> Option<usize> {
        let value = match value {
            Stored::Lease(lease) => bridge::lease(lease),
            Stored::Entry(at, command) => bridge::entry(at, command),
            Stored::Claim(by, at) => bridge::claim(by, at),
        };
        // `bridge.js` `store` gives the length stored, or -1.
        usize::try_from(bridge::store(&self.key(key), &value)).ok()
    }

    fn remove(&self, key: &str) {
        bridge::unstore(&self.key(key));
    }
}
