//! The outbox: every command pushed while Convertro's tag has not loaded is
//! kept, and written to `localStorage` when it is kept, so that a visitor
//! who leaves, or whose tab is killed, loses none; and each reaches
//! Convertro once.
//!
//! # What is stored
//! Under one prefix per account ([`prefix`]), by key ([`parse_key`]):
//! - `<page>`: a page's **lease**, `{ "lease": ms }`: when that page last
//!   said it was alive (0: it went);
//! - `<page>:e<n>`: an **entry**, `{ "at": ms, "command": […] }`, one command
//!   that page pushed (or took over) and its tag has not received: one small
//!   write per kept command ([`Outbox::keep`]);
//! - `<page>:<n>`: a **call** made before the page's WebAssembly was ready
//!   (`{ "at": ms, "call": ["track" | "identify", event] }`, written by
//!   js/index.js), decided by whichever page sends it;
//! - `<page>:claim`: a **claim**, `{ "by": page, "at": ms }`, by a page about
//!   to take what `<page>` left.
//!
//! Any other key below the prefix is read as an entry or a call, and dropped
//! unless it is one.
//!
//! # The ownership rule
//! 1. **An entry belongs to the page that wrote it.** That page is alive
//!    while its lease is: it renews the lease (rewrites `<page>` with now)
//!    every [`TICK_MS`] while it keeps anything. A page with no lease key
//!    (its calls written before its WebAssembly was ready) counts as renewed
//!    when it last wrote one. A lease not renewed for [`LEASE_MS`] has
//!    expired: the page was killed, crashed, or is frozen. A page that goes
//!    (`pagehide`) writes `lease: 0`, released at once.
//! 2. **The owner removes its keys once its tag has it all** (the tag has
//!    loaded: [`Outbox::tick`], which the binding runs when it does), and
//!    keeps nothing more.
//! 3. **Another page takes an owner's keys only once the owner is gone**
//!    (lease expired or released), and only after claiming them: it writes
//!    `<page>:claim` and takes when, [`CLAIM_WAIT_MS`] later, the claim is
//!    still its own and the owner still gone. Of several pages that claim
//!    at once, the last write wins and the others wait; a claim older than
//!    [`CLAIM_STALE_MS`] was its claimer's last act and is claimed anew.
//! 4. **A taker removes exactly the keys it took** (the lease, the entries,
//!    the calls and the claim of that one page), pushes what they held,
//!    oldest first, and keeps it as its own (rule 1).
//! 5. **An owner whose lease key is gone was taken over**: on its next tick
//!    (renewal, or back from the back/forward cache) it takes its commands
//!    back out of its `$CVO` queue and forgets them; a call key of its own
//!    that is gone when its WebAssembly arrives is not sent.
//!
//! The rule gives each command to Convertro once provided a live page runs
//! its tick at least every [`LEASE_MS`] (browsers run a background tab's
//! timers at least once a second for its first minutes hidden), and that
//! writes reach other tabs within [`CLAIM_WAIT_MS`]. A page frozen longer
//! whose tag then loads before its tick has run may deliver a command that
//! another page took over too (README: "When the visitor leaves before
//! Convertro's tag loads").
//!
//! # Limits
//! At most [`MAX_ENTRIES`] entries and [`MAX_CHARS`] of commands' serialized
//! text per page, none older than [`MAX_AGE_MS`]; beyond a bound the oldest
//! go first. A command that cannot be written (it cannot be serialized, or
//! storage refused it) is sent but not kept.
//!
//! Everything here is pure: storage and the `$CVO` queue are reached through
//! [`Page`], which the binding implements over the browser and the tests
//! over a model of several tabs.

use alloc::string::String;
use alloc::vec::Vec;

use super::Value;
use crate::text::{concat, decimal};

/// Most entries kept per page; beyond it the oldest are dropped.
pub const MAX_ENTRIES: usize = 100;
/// Most serialized command text kept per page, in UTF-16 units
/// (`JSON.stringify(command).length`); beyond it the oldest are dropped.
pub const MAX_CHARS: usize = 100_000;
/// Entries older than this (24 hours, in milliseconds) are dropped.
pub const MAX_AGE_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;
/// How often a page that keeps anything renews its lease, and how often a
/// page waiting on another's keys looks again (milliseconds).
pub const TICK_MS: u32 = 1_000;
/// A lease not renewed for this long has expired: its page is gone.
pub const LEASE_MS: f64 = 4_000.0;
/// How long a claim must stand before its page takes what it claimed.
pub const CLAIM_WAIT_MS: f64 = 500.0;
/// A claim older than this is its claimer's no longer.
pub const CLAIM_STALE_MS: f64 = 3_000.0;

// A live page renews well within its lease, and a claim is acted on by the
// next tick, before it goes stale.
const _: () = assert!((TICK_MS as f64) * 2.0 <= LEASE_MS && CLAIM_WAIT_MS < TICK_MS as f64 && (TICK_MS as f64) * 2.0 < CLAIM_STALE_MS);

/// The longest stored text that is read at all, in UTF-16 units; anything
/// longer is dropped unparsed. An entry is at most [`MAX_CHARS`] with room
/// for its time; a call (written by js/index.js) holds a whole event, so the
/// bound is three times that (the bound that was, in UTF-8 bytes, when the
/// text came into the WebAssembly to be measured).
pub const MAX_STORED: u32 = 3 * MAX_CHARS as u32 + 100;

/// The prefix of an account's keys in `localStorage` (versioned: an older
/// format is never read as this one). An account name holds no `:`.
pub fn prefix(account: &str) -> String {
    concat(&["convertro:v2:", account, ":"])
}

/// The key, below the prefix, of a claim on `page`.
pub fn claim_key(page: &str) -> String {
    concat(&[page, ":claim"])
}

/// The key, below the prefix, of `page`'s entry number `n`.
fn entry_key(page: &str, n: u32) -> String {
    concat(&[page, ":e", &decimal(n.into())])
}

/// The key, below the prefix, of `page`'s call number `n` (js/index.js
/// writes it; the binding looks for it when the call is adopted).
pub fn call_key(page: &str, n: u32) -> String {
    concat(&[page, ":", &decimal(n.into())])
}

/// What a key below the prefix holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<page>`: a page's lease.
    Lease,
    /// `<page>:e<n>` or `<page>:<n>`: an entry or a call, as its value says
    /// (any other suffix too: what is neither is dropped).
    Item,
    /// `<page>:claim`: a claim on `<page>`'s keys.
    Claim,
}

/// A key below the prefix: the page it belongs to, and what it holds.
pub fn parse_key(key: &str) -> (&str, Kind) {
    match key.split_once(|c| c == ':') {
        None => (key, Kind::Lease),
        Some((page, "claim")) => (page, Kind::Claim),
        Some((page, _)) => (page, Kind::Item),
    }
}

/// The number in an item's key (`<page>:e<n>`, `<page>:<n>`): its page
/// wrote its items in that order. 0 for a lease; for any other key, a
/// number of its digits.
pub fn written(key: &str) -> u32 {
    let (page, _) = parse_key(key);
    let suffix = key.get(page.len() + 1..).unwrap_or("");
    suffix.bytes().filter(u8::is_ascii_digit).fold(0, |n: u32, digit| n.wrapping_mul(10).wrapping_add(u32::from(digit - b'0')))
}

/// One kept command.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<C> {
    /// When it was first pushed (milliseconds since the epoch); an entry
    /// taken over keeps its time.
    pub at: f64,
    /// The command, as the binding holds it.
    pub command: C,
}

/// A kept entry: written under its own key.
#[derive(Debug, Clone, PartialEq)]
struct Kept<C> {
    entry: Entry<C>,
    /// The length of what was written.
    chars: usize,
    /// Its key number (`<page>:e<n>`).
    n: u32,
}

/// A value to store, as [`Page::write`] builds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stored<'a, C> {
    /// `{ lease }`.
    Lease(f64),
    /// `{ at, command }`.
    Entry(f64, &'a C),
    /// `{ by, at }`.
    Claim(&'a str, f64),
}

/// What the outbox reads and does on its page: `localStorage` and `$CVO`
/// in the binding; a model of several tabs in the tests. Keys are below
/// the account's [`prefix`].
pub trait Page {
    /// A command as the page holds it.
    type Command;
    /// Whether Convertro's tag has loaded (it has every command pushed).
    fn loaded(&self) -> bool;
    /// Pushes a command onto the queue; false when that failed.
    fn push(&self, command: &Self::Command) -> bool;
    /// Takes a command back out of the queue, while the tag has not loaded.
    fn unqueue(&self, command: &Self::Command);
    /// The keys stored, or `None` when storage cannot be read.
    fn keys(&self) -> Option<Vec<String>>;
    /// The value stored under `key`, parsed and read `depth` levels into
    /// (`Undefined` when there is none, or it is not JSON).
    fn value(&self, key: &str, depth: u32) -> Value;
    /// The `command` stored under `key`, as stored (pushed once [`entry`]
    /// has accepted the value).
    fn command(&self, key: &str) -> Self::Command;
    /// What the rules decide for the call stored under `key`: its event,
    /// read as any event is.
    fn decide(&self, key: &str, method: Method) -> Vec<Self::Command>;
    /// Whether anything is stored under `key`.
    fn has(&self, key: &str) -> bool;
    /// Writes `value` under `key` as JSON: the length written (UTF-16
    /// units), or `None` when it could not be serialized or storage refused it.
    fn write(&self, key: &str, value: Stored<'_, Self::Command>) -> Option<usize>;
    /// Removes a key.
    fn remove(&self, key: &str);
}

/// How deep an item is read to check it: the item, its command, the
/// payload, the payload's values.
const ITEM_DEPTH: u32 = 4;

/// What another page's `key` holds, checked: an entry ([`entry`]), or a
/// call decided into its commands, each at the call's time ([`call`]); and
/// how many were malformed.
fn read<P: Page>(page: &P, key: &str) -> (Vec<Entry<P::Command>>, usize) {
    if parse_key(key).1 != Kind::Item {
        return (Vec::new(), 0);
    }
    let value = page.value(key, ITEM_DEPTH);
    if let Some((method, at)) = call(&value) {
        return (page.decide(key, method).into_iter().map(|command| Entry { at, command }).collect(), 0);
    }
    match entry(&value) {
        Some(at) => (Vec::from([Entry { at, command: page.command(key) }]), 0),
        None => (Vec::new(), 1),
    }
}

/// Another page's keys, as one tick sees them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Other {
    /// The page.
    pub page: String,
    /// Its keys (full keys below the prefix).
    pub keys: Vec<String>,
    /// Its lease, when it has a lease key.
    pub lease: Option<f64>,
    /// When its newest item was written (0 if none).
    pub newest: f64,
    /// Who claims its keys, and since when.
    pub claim: Option<(String, f64)>,
}

/// The other pages with keys stored, from [`Page::keys`] and each key's
/// value read one level deep, `me` left out.
pub fn others(keys: Vec<(String, Value)>, me: &str) -> Vec<Other> {
    let mut pages: Vec<Other> = Vec::new();
    for (key, value) in keys {
        let (page, kind) = parse_key(&key);
        if page == me {
            continue;
        }
        let at = match pages.iter().position(|other| other.page == page) {
            Some(at) => at,
            None => {
                pages.push(Other { page: String::from(page), ..Other::default() });
                pages.len() - 1
            }
        };
        let Some(other) = pages.get_mut(at) else { continue };
        let fields: &[(String, Value)] = match &value {
            Value::Map(fields) => fields,
            _ => &[],
        };
        match kind {
            Kind::Lease => other.lease = Some(time(fields, "lease").unwrap_or(0.0)),
            Kind::Item => other.newest = other.newest.max(time(fields, "at").unwrap_or(0.0)),
            Kind::Claim => {
                if let (Some(at), Some(Value::String(by))) = (time(fields, "at"), field(fields, "by")) {
                    other.claim = Some((by.clone(), at));
                }
            }
        }
        other.keys.push(key);
    }
    pages
}

/// What a page does about another page's keys on a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing yet: the owner is alive, or a claim stands; look again.
    Wait,
    /// Write a claim of its own.
    Claim,
    /// Take the keys.
    Take,
}

/// Whether `at` is within `span` of `now` (either way: a clock set back is
/// no reason for a lease or claim to last for ever).
fn within(at: f64, now: f64, span: f64) -> bool {
    (now - at).abs() <= span
}

/// The ownership rule (module docs, rules 1 and 3), for `other` as `me`
/// sees it at `now`. A lease key, when there is one, alone says whether its
/// page is alive (a page that went has fresh entries and `lease: 0`).
pub fn step(other: &Other, me: &str, now: f64) -> Step {
    if within(other.lease.unwrap_or(other.newest), now, LEASE_MS) {
        return Step::Wait;
    }
    match &other.claim {
        Some((by, at)) if within(*at, now, CLAIM_STALE_MS) => {
            if by == me && now - at >= CLAIM_WAIT_MS {
                Step::Take
            } else {
                Step::Wait
            }
        }
        _ => Step::Claim,
    }
}

/// The commands of one destination on one page that the tag has not
/// received yet, and what of them is stored.
#[derive(Debug, Clone)]
pub struct Outbox<C> {
    /// This page's id.
    me: String,
    /// Oldest first.
    entries: Vec<Kept<C>>,
    /// The next entry key number.
    next: u32,
    /// Whether this page's lease key is written.
    leased: bool,
    delivered: bool,
    /// Gone (`pagehide`) and not back: nothing renewed, claimed or taken.
    released: bool,
    /// The pages whose keys it has claimed and not taken.
    claimed: Vec<String>,
}

impl<C> Outbox<C> {
    /// An empty outbox for page `me` (an id with no `:`).
    pub fn new(me: String) -> Self {
        Outbox { me, entries: Vec::new(), next: 0, leased: false, delivered: false, released: false, claimed: Vec::new() }
    }

    /// This page's id.
    pub fn me(&self) -> &str {
        &self.me
    }

    /// The commands kept, oldest first.
    pub fn commands(&self) -> impl Iterator<Item = &C> {
        self.entries.iter().map(|kept| &kept.entry.command)
    }

    /// Whether the tag has loaded (nothing is kept any more).
    pub fn is_delivered(&self) -> bool {
        self.delivered
    }

    /// Whether the tag has everything pushed: it has loaded. Asked of the
    /// page until it has; then this page's keys go, and nothing more is
    /// kept (rule 2).
    pub fn delivered<P: Page<Command = C>>(&mut self, page: &P) -> bool {
        if !self.delivered && page.loaded() {
            self.delivered = true;
            self.forget(page);
        }
        self.delivered
    }

    /// Removes this page's entries and lease from storage and memory.
    fn forget<P: Page<Command = C>>(&mut self, page: &P) {
        for kept in self.entries.drain(..) {
            page.remove(&entry_key(&self.me, kept.n));
        }
        if core::mem::take(&mut self.leased) {
            page.remove(&self.me);
        }
    }

    /// Keeps commands just pushed (unless the tag has loaded): each is
    /// written under a key of its own, one small write per command (and the
    /// lease with the first: the tick renews it). Beyond [`MAX_ENTRIES`] or
    /// [`MAX_CHARS`] the oldest are dropped (their keys removed); a command
    /// that could not be written (it cannot be serialized, or storage
    /// refused it) is not kept: returns how many were dropped.
    pub fn keep<P: Page<Command = C>>(&mut self, page: &P, entries: Vec<Entry<C>>, now: f64) -> usize {
        if entries.is_empty() || self.delivered(page) {
            return 0;
        }
        let mut dropped = 0;
        for entry in entries {
            let n = self.next;
            self.next += 1;
            match page.write(&entry_key(&self.me, n), Stored::Entry(entry.at, &entry.command)) {
                Some(chars) => self.entries.push(Kept { entry, chars, n }),
                None => dropped += 1,
            }
        }
        let mut chars = 0;
        let keep = self.entries.iter().rev().take(MAX_ENTRIES).take_while(|kept| {
            chars += kept.chars;
            chars <= MAX_CHARS
        });
        let over = self.entries.len() - keep.count();
        for kept in self.entries.drain(..over) {
            page.remove(&entry_key(&self.me, kept.n));
        }
        if !self.leased && !self.entries.is_empty() {
            self.lease(page, now);
        }
        dropped + over
    }

    /// Writes this page's lease (0: released).
    fn lease<P: Page<Command = C>>(&mut self, page: &P, lease: f64) {
        self.leased = page.write(&self.me, Stored::Lease(lease)).is_some();
    }

    /// The page is going (`pagehide`): its lease is released at once, so
    /// that the next page takes what it kept without waiting for the lease
    /// to expire, and its claims are withdrawn, so that the next page need
    /// not wait for them to go stale. Until it is [back](Outbox::back), its
    /// ticks do nothing.
    pub fn release<P: Page<Command = C>>(&mut self, page: &P) {
        self.released = true;
        for other in self.claimed.drain(..) {
            page.remove(&claim_key(&other));
        }
        if !self.delivered(page) && self.leased {
            self.lease(page, 0.0);
        }
    }

    /// The page is back from the back/forward cache (`pageshow`): its ticks
    /// run again (the binding ticks at once).
    pub fn back(&mut self) {
        self.released = false;
    }

    /// What a page does every [`TICK_MS`] while it keeps anything or waits
    /// on another page, and when it comes back from the back/forward cache:
    /// - its tag has loaded: its keys go (rule 2);
    /// - its lease key is gone: another page took it over, and its commands
    ///   leave this page's queue (rule 5); otherwise the lease is renewed;
    /// - when `open` (consent allows taking over), each other page's keys
    ///   are waited on, claimed or taken ([`step`], rules 3 and 4).
    ///
    /// Returns whether to tick again, and how many entries were dropped
    /// (malformed, expired, or beyond a limit).
    pub fn tick<P: Page<Command = C>>(&mut self, page: &P, now: f64, open: bool) -> (bool, usize) {
        if self.released {
            return (false, 0);
        }
        let mut busy = false;
        if !self.delivered(page) && !self.entries.is_empty() {
            if self.leased && !page.has(&self.me) {
                for kept in self.entries.drain(..) {
                    page.unqueue(&kept.entry.command);
                }
                self.leased = false;
            } else {
                // Renewed while written: with no storage there is no lease to keep.
                self.lease(page, now);
                busy = self.leased;
            }
        }
        let mut dropped = 0;
        let mut gone = Vec::new();
        if open {
            let keys = page.keys().unwrap_or_default().into_iter().map(|key| {
                let value = page.value(&key, 1);
                (key, value)
            });
            for other in others(keys.collect(), &self.me) {
                match step(&other, &self.me, now) {
                    Step::Wait => busy = true,
                    Step::Claim => {
                        page.write(&claim_key(&other.page), Stored::Claim(&self.me, now));
                        if !self.claimed.contains(&other.page) {
                            self.claimed.push(other.page);
                        }
                        busy = true;
                    }
                    Step::Take => gone.push(other),
                }
            }
        }
        if !gone.is_empty() {
            self.claimed.retain(|claimed| gone.iter().all(|other| &other.page != claimed));
            dropped += self.take(page, &gone, now);
        }
        (busy || (self.leased && !self.delivered), dropped)
    }

    /// Takes the keys of pages that are gone (rule 4): reads them, pushes
    /// the commands they held, oldest first across all of them (a page's of
    /// one millisecond in the order it wrote them), keeps those
    /// as this page's own, then removes exactly the keys it read. Returns
    /// how many entries were dropped.
    fn take<P: Page<Command = C>>(&mut self, page: &P, gone: &[Other], now: f64) -> usize {
        // Each with its key's number: storage lists keys in no useful order,
        // and a page's items of one millisecond go in the order it wrote them.
        let mut taken: Vec<(Entry<C>, u32)> = Vec::new();
        let mut dropped = 0;
        let keys = gone.iter().flat_map(|other| other.keys.iter());
        for key in keys.clone() {
            let (entries, malformed) = read(page, key);
            dropped += malformed;
            let n = written(key);
            for entry in entries {
                if !within(entry.at, now, MAX_AGE_MS) {
                    dropped += 1;
                    continue;
                }
                let place = taken.partition_point(|(kept, m)| kept.at < entry.at || kept.at == entry.at && *m <= n);
                taken.insert(place, (entry, n));
            }
        }
        let pushed: Vec<Entry<C>> = taken.into_iter().map(|(entry, _)| entry).filter(|entry| page.push(&entry.command)).collect();
        dropped += self.keep(page, pushed, now);
        for key in keys {
            page.remove(key);
        }
        dropped
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

/// The time of a well-formed stored entry, as the binding read it into a
/// [`Value`]: an object with exactly `at` (a finite number) and `command`,
/// which is `['trackEvent', { type, id?, amount? }]` (`type` a non-empty
/// string, `id` a string, `amount` a finite number, nothing else) or
/// `['trackUser', { …traits, id }]` (`id` a non-empty string or a finite
/// number).
pub fn entry(entry: &Value) -> Option<f64> {
    let Value::Map(fields) = entry else { return None };
    if fields.len() != 2 {
        return None;
    }
    let at = time(fields, "at")?;
    is_command(field(fields, "command")?).then_some(at)
}

/// The value under `name`, if the entries have it.
fn field<'a>(fields: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value)
}

/// The finite number under `name` (a time, or a lease), if the entries have one.
fn time(fields: &[(String, Value)], name: &str) -> Option<f64> {
    match field(fields, name)? {
        Value::Number(n) if n.is_finite() => Some(*n),
        _ => None,
    }
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

/// A stored call's method and time, when it is one the destination
/// decides: `{ at, call: ["track" | "identify", event] }` (`at` a finite
/// number). The binding reads the event as it reads any event: the rules
/// decide what it sends.
pub fn call(value: &Value) -> Option<(Method, f64)> {
    let Value::Map(fields) = value else { return None };
    let (Some(at), Some(Value::List(call))) = (time(fields, "at"), field(fields, "call")) else { return None };
    let method = match call.as_slice() {
        [Value::String(method), _] if method == "track" => Method::Track,
        [Value::String(method), _] if method == "identify" => Method::Identify,
        _ => return None,
    };
    Some((method, at))
}

/// The two calls the destination takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `track`.
    Track,
    /// `identify`.
    Identify,
}
