//! The destination's outbox ([`rules::outbox`](crate::rules::outbox)): the
//! rules' [`Page`] over this page's `localStorage` ([`Stash`]) and `$CVO`
//! queue, and the calls that drive them. A command pushed while the tag
//! has not loaded is kept and written at once ([`Destination::keep`]); a
//! tick ([`Destination::tick`], every [`TICK_MS`] while there is anything
//! to renew or wait on, and when the tag loads or the page comes back from
//! the back/forward cache) renews this page's lease and waits on, claims
//! or takes what other pages left; `pagehide` releases the lease. Every
//! decision is the rules'.

use alloc::vec::Vec;

use js_sys::{Array, Date};
use wasm_bindgen::prelude::*;

use super::bridge;
use super::storage::Stash;
use super::Destination;
use crate::rules::outbox::{self, call_method, new_id, Entry, Kept, Kind, Method, Note, Outbox, Page, TICK_MS};
use crate::rules::Value;
use crate::text::{concat, decimal};

#[wasm_bindgen]
impl Destination {
    /// The page is going (`pagehide`): its lease is released, so that the
    /// next page takes what it kept at once.
    pub fn pagehide(&self) {
        self.with_outbox(|outbox, page| outbox.release(page));
    }

    /// The page is back from the back/forward cache (`pageshow` with
    /// `persisted`): its outbox ticks again, at once ([`Outbox::back`]).
    pub fn pageshow(&self) {
        self.with_outbox(|outbox, _| outbox.back());
        self.tick();
    }

    /// The outbox's tick (js/index.js's timer, the tag's load, `pageshow`):
    /// see [`Outbox::tick`]. Sets the next
    /// timer while there is anything to renew or wait on.
    pub fn tick(&self) {
        self.scheduled.set(false);
        let open = self.open.get();
        let (busy, dropped) = self.with_outbox(|outbox, page| outbox.tick(page, Date::now(), open));
        if dropped > 0 {
            self.note(Note::Dropped);
        }
        if busy {
            self.schedule();
        }
    }

    /// A call that came before the WebAssembly was ready (`method` "track"
    /// or "identify"), in order; `index` names its call key when js/index.js
    /// could write one. A call key that is gone was taken by another page,
    /// which sent it (module docs of the rules, rule 5): it is not sent
    /// here. Otherwise it is sent as it would have been, and its key goes.
    pub fn adopt(&self, method: &str, ctx: &JsValue, index: Option<u32>) {
        let key = index.map(|index| concat(&[self.me(), ":", &decimal(index.into())]));
        let stash = Stash::open(self.settings.account());
        if let (Some(key), Some(stash)) = (&key, &stash) {
            if !stash.has(key) {
                return;
            }
        }
        let method = if method == "identify" { Method::Identify } else { Method::Track };
        self.send(ctx, self.decide(method, ctx));
        if let (Some(key), Some(stash)) = (key, stash) {
            stash.remove(&key);
        }
    }
}

impl Destination {
    /// `f` on the outbox and this page, the outbox taken out of its cell and
    /// put back (a call that page code makes meanwhile sees an inert one).
    fn with_outbox<R>(&self, f: impl FnOnce(&mut Outbox<JsValue>, &Here) -> R) -> R {
        let page = Here { destination: self, stash: Stash::open(self.settings.account()) };
        let mut outbox = self.outbox.take();
        let result = f(&mut outbox, &page);
        self.outbox.set(outbox);
        result
    }

    /// Keeps commands just pushed (the rules keep nothing once the tag has
    /// loaded), written at once, and sets the tick that renews the lease.
    pub(super) fn keep(&self, commands: Vec<JsValue>) {
        if commands.is_empty() {
            return;
        }
        let now = Date::now();
        let entries = commands.into_iter().map(|command| Entry { id: new_id(js_sys::Math::random()), at: now, command }).collect();
        let (dropped, delivered) = self.with_outbox(|outbox, page| (outbox.keep(page, entries, now), outbox.is_delivered()));
        if dropped > 0 {
            self.note(Note::Dropped);
        }
        if !delivered {
            self.schedule();
        }
    }

    /// Lets this page take what other pages left (once per page: with
    /// consent categories, at the first event that may be sent), and looks
    /// at once.
    pub(super) fn open(&self) {
        if self.open.replace(true) {
            return;
        }
        if Stash::open(self.settings.account()).is_none() {
            self.note(Note::Unavailable);
        }
        self.tick();
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

/// This page, as the rules' outbox sees it.
struct Here<'a> {
    destination: &'a Destination,
    stash: Option<Stash>,
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

    fn size(&self, command: &JsValue) -> Option<usize> {
        bridge::size(command).map(|chars| chars as usize)
    }

    fn keys(&self) -> Option<Vec<(alloc::string::String, Value)>> {
        let stash = self.stash.as_ref()?;
        Some(stash.keys()?.into_iter().map(|key| {
            let value = bridge::stored(&stash.read(&key), 1);
            (key, value)
        }).collect())
    }

    fn has(&self, key: &str) -> bool {
        self.stash.as_ref().is_some_and(|stash| stash.has(key))
    }

    fn write(&self, key: &str, lease: f64, entries: &[Kept<JsValue>]) -> bool {
        let list: Array = entries.iter().map(|kept| bridge::entry(kept.entry.id, kept.entry.at, &kept.entry.command)).collect();
        self.stash.as_ref().is_some_and(|stash| stash.write(key, &bridge::record(lease, &list)))
    }

    fn claim(&self, key: &str, by: &str, at: f64) {
        if let Some(stash) = &self.stash {
            stash.write(key, &bridge::claim(by, at));
        }
    }

    fn remove(&self, key: &str) {
        if let Some(stash) = &self.stash {
            stash.remove(key);
        }
    }

    fn read(&self, key: &str, kind: Kind) -> (Vec<Entry<JsValue>>, usize) {
        let Some(stash) = &self.stash else { return (Vec::new(), 0) };
        let parsed = stash.read(key);
        let mut entries = Vec::new();
        match kind {
            Kind::Record => {
                let list = bridge::field(&parsed, "entries");
                let Value::List(items) = bridge::stored(&list, 4) else { return (entries, 1) };
                let mut malformed = 0;
                for (index, item) in items.iter().enumerate() {
                    match outbox::entry(item) {
                        Some((id, at)) => entries.push(Entry { id, at, command: bridge::field(&bridge::item(&list, index as u32), "command") }),
                        None => malformed += 1,
                    }
                }
                (entries, malformed)
            }
            Kind::Call => {
                let value = bridge::stored(&parsed, 2);
                let (Some(method), Value::Map(fields)) = (call_method(&value), &value) else { return (entries, 1) };
                let at = fields.iter().find_map(|(name, value)| match (name.as_str(), value) {
                    ("at", Value::Number(at)) => Some(*at),
                    _ => None,
                });
                let ctx = bridge::context(&bridge::item(&bridge::field(&parsed, "call"), 1));
                for command in self.destination.decide(method, &ctx) {
                    entries.push(Entry { id: new_id(js_sys::Math::random()), at: at.unwrap_or(f64::NAN), command });
                }
                (entries, 0)
            }
            Kind::Claim | Kind::Other => (entries, 0),
        }
    }
}
