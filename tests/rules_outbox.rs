//! The outbox's rules: what is kept and written, the ownership rule between
//! pages (leases, claims, taking over), the limits, and which stored
//! entries are well-formed. The property tests run the very `Outbox` the
//! binding runs over a model of several tabs sharing one storage.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::BTreeMap;

use convertro::rules::outbox::{
    self, call, entry, others, parse_key, step, Entry, Kind, Method, Note, Other, Outbox, Page, Step, Stored, CLAIM_STALE_MS, CLAIM_WAIT_MS,
    written, LEASE_MS, MAX_AGE_MS, MAX_CHARS, MAX_ENTRIES, TICK_MS,
};
use convertro::rules::Value;
use proptest::prelude::*;

const NOW: f64 = 1_764_000_000_000.0;
const EVENT: &str = r#"["trackEvent",{"type":"sale","id":"o-1","amount":5}]"#;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON")
}

// ---------------------------------------------------------------------
// A model of the browser: tabs of one origin sharing one storage, each with
// its own `$CVO` queue and tag; what every tag received, in order.

/// What a key holds in the model's storage.
#[derive(Debug, Clone)]
enum Slot {
    Lease(f64),
    Entry(f64, u32),
    Call(f64, u32),
    Claim(String, f64),
    Junk,
}

impl Slot {
    /// What a page's `write` stores.
    fn of(value: Stored<'_, u32>) -> Slot {
        match value {
            Stored::Lease(lease) => Slot::Lease(lease),
            Stored::Entry(at, command) => Slot::Entry(at, *command),
            Stored::Claim(by, at) => Slot::Claim(by.to_string(), at),
        }
    }

    /// The stored JSON as the binding reads it (the model's commands as
    /// `['trackEvent', { type: 'sale', id }]`).
    fn value(&self) -> Value {
        json(&match self {
            Slot::Lease(lease) => format!(r#"{{"lease":{lease}}}"#),
            Slot::Entry(at, command) => format!(r#"{{"at":{at},"command":["trackEvent",{{"type":"sale","id":"{command}"}}]}}"#),
            Slot::Call(at, _) => format!(r#"{{"at":{at},"call":["track",{{"event":"Order Completed"}}]}}"#),
            Slot::Claim(by, at) => format!(r#"{{"by":"{by}","at":{at}}}"#),
            Slot::Junk => "null".into(),
        })
    }

    /// The command of an entry.
    fn command(&self) -> u32 {
        match self {
            Slot::Entry(_, command) => *command,
            _ => 0,
        }
    }

    /// The commands a call decides.
    fn decided(&self) -> Vec<u32> {
        match self {
            Slot::Call(_, command) => vec![*command],
            _ => Vec::new(),
        }
    }
}

#[derive(Default)]
struct World {
    storage: RefCell<BTreeMap<String, Slot>>,
    /// Every command any tag received.
    delivered: RefCell<Vec<u32>>,
    tabs: RefCell<Vec<TabState>>,
    /// Commands too big to store (`size` gives None).
    unserializable: Vec<u32>,
}

#[derive(Default, Clone)]
struct TabState {
    queue: Vec<u32>,
    loaded: bool,
}

/// One tab as its outbox sees it.
struct Tab<'w> {
    world: &'w World,
    index: usize,
}

impl Page for Tab<'_> {
    type Command = u32;
    fn loaded(&self) -> bool {
        self.world.tabs.borrow()[self.index].loaded
    }
    fn push(&self, command: &u32) -> bool {
        let mut tabs = self.world.tabs.borrow_mut();
        if tabs[self.index].loaded {
            self.world.delivered.borrow_mut().push(*command);
        } else {
            tabs[self.index].queue.push(*command);
        }
        true
    }
    fn unqueue(&self, command: &u32) {
        let mut tabs = self.world.tabs.borrow_mut();
        let tab = &mut tabs[self.index];
        if !tab.loaded {
            tab.queue.retain(|c| c != command);
        }
    }
    fn keys(&self) -> Option<Vec<String>> {
        Some(self.world.storage.borrow().keys().cloned().collect())
    }
    fn value(&self, key: &str, _depth: u32) -> Value {
        self.world.storage.borrow().get(key).map_or(Value::Undefined, Slot::value)
    }
    fn command(&self, key: &str) -> u32 {
        self.world.storage.borrow().get(key).map_or(0, Slot::command)
    }
    fn decide(&self, key: &str, _method: Method) -> Vec<u32> {
        self.world.storage.borrow().get(key).map_or(Vec::new(), Slot::decided)
    }
    fn has(&self, key: &str) -> bool {
        self.world.storage.borrow().contains_key(key)
    }
    fn write(&self, key: &str, value: Stored<'_, u32>) -> Option<usize> {
        if let Stored::Entry(_, command) = value {
            if self.world.unserializable.contains(command) {
                return None;
            }
        }
        self.world.storage.borrow_mut().insert(key.to_string(), Slot::of(value));
        Some(40)
    }
    fn remove(&self, key: &str) {
        self.world.storage.borrow_mut().remove(key);
    }
}

/// A tab's life in the model, beside its `TabState`.
struct Life {
    outbox: Outbox<u32>,
    alive: bool,
    /// In the back/forward cache: no timers, no tag.
    hidden: bool,
    /// Its WebAssembly has arrived (before: calls are written as call keys).
    ready: bool,
    /// Calls kept before the wasm: (command, call key).
    pending: Vec<(u32, String)>,
    /// Whether its tick timer is set.
    ticking: bool,
}

struct Model {
    world: World,
    lives: Vec<Life>,
    now: f64,
    next_command: u32,
    sent: Vec<u32>,
}

impl Model {
    fn new(unserializable: Vec<u32>) -> Model {
        Model { world: World { unserializable, ..World::default() }, lives: Vec::new(), now: NOW, next_command: 1, sent: Vec::new() }
    }

    fn page(&self, index: usize) -> Tab<'_> {
        Tab { world: &self.world, index }
    }

    /// Runs a tick of tab `i`, as its timer (or a lifecycle event) does.
    fn tick(&mut self, i: usize) {
        let page = Tab { world: &self.world, index: i };
        let (busy, _) = self.lives[i].outbox.tick(&page, self.now, true);
        self.lives[i].ticking = busy;
    }

    fn open(&mut self, ready: bool) {
        let me = format!("p{}", self.lives.len());
        self.world.tabs.borrow_mut().push(TabState::default());
        self.lives.push(Life { outbox: Outbox::new(me), alive: true, hidden: false, ready, pending: Vec::new(), ticking: false });
        if ready {
            let i = self.lives.len() - 1;
            self.tick(i);
        }
    }

    fn live(&self, pick: usize, pred: impl Fn(&Life) -> bool) -> Option<usize> {
        let candidates: Vec<usize> = (0..self.lives.len()).filter(|&i| self.lives[i].alive && pred(&self.lives[i])).collect();
        (!candidates.is_empty()).then(|| candidates[pick % candidates.len()])
    }

    /// The page sends a command: pushed and kept, or (before the wasm)
    /// written as a call key.
    fn send(&mut self, i: usize) {
        let command = self.next_command;
        self.next_command += 1;
        self.sent.push(command);
        if !self.lives[i].ready {
            let key = format!("{}:{}", self.lives[i].outbox.me(), self.lives[i].pending.len());
            self.world.storage.borrow_mut().insert(key.clone(), Slot::Call(self.now, command));
            self.lives[i].pending.push((command, key));
            return;
        }
        self.decide(i, command);
    }

    /// What the binding's `push` does with a command the rules made.
    fn decide(&mut self, i: usize, command: u32) {
        let page = Tab { world: &self.world, index: i };
        page.push(&command);
        let life = &mut self.lives[i];
        life.outbox.keep(&page, vec![Entry { at: self.now, command }], self.now);
        life.ticking = true;
    }

    /// The wasm arrives: each call kept before is sent unless another page
    /// took it meanwhile (its key is gone), then its key goes.
    fn ready(&mut self, i: usize) {
        self.lives[i].ready = true;
        for (command, key) in std::mem::take(&mut self.lives[i].pending) {
            if self.page(i).has(&key) {
                self.decide(i, command);
                self.page(i).remove(&key);
            }
        }
        self.tick(i);
    }

    fn tag_loads(&mut self, i: usize) {
        {
            let mut tabs = self.world.tabs.borrow_mut();
            let tab = &mut tabs[i];
            tab.loaded = true;
            self.world.delivered.borrow_mut().extend(tab.queue.drain(..));
        }
        self.tick(i);
    }

    /// Time passes: every live, shown page's timer fires.
    fn advance(&mut self, ms: f64) {
        self.now += ms;
        for i in 0..self.lives.len() {
            let life = &self.lives[i];
            if life.alive && !life.hidden && life.ready && life.ticking {
                self.tick(i);
            }
        }
    }

    fn run(&mut self, action: &Action) {
        match *action {
            Action::Open(ready) => self.open(ready),
            Action::Send(pick) => {
                if let Some(i) = self.live(pick, |l| !l.hidden) {
                    self.send(i);
                }
            }
            Action::Ready(pick) => {
                if let Some(i) = self.live(pick, |l| !l.hidden && !l.ready) {
                    self.ready(i);
                }
            }
            Action::TagLoads(pick) => {
                if let Some(i) = self.live(pick, |l| !l.hidden && l.ready) {
                    self.tag_loads(i);
                }
            }
            Action::Hide(pick) => {
                if let Some(i) = self.live(pick, |l| !l.hidden && l.ready) {
                    let page = Tab { world: &self.world, index: i };
                    self.lives[i].outbox.release(&page);
                    self.lives[i].hidden = true;
                }
            }
            Action::Show(pick) => {
                if let Some(i) = self.live(pick, |l| l.hidden) {
                    self.lives[i].hidden = false;
                    self.lives[i].outbox.back();
                    self.tick(i);
                }
            }
            Action::Crash(pick) => {
                if let Some(i) = self.live(pick, |_| true) {
                    self.lives[i].alive = false;
                    self.world.tabs.borrow_mut()[i].queue.clear();
                }
            }
            Action::Advance(ms) => self.advance(f64::from(ms)),
            Action::Junk => {
                self.world.storage.borrow_mut().insert("junk:x".into(), Slot::Junk);
            }
        }
    }

    /// The end of the visit: every live page gets its wasm and its tag; a
    /// new page opens and time passes until nothing waits.
    fn finish(&mut self) {
        for i in 0..self.lives.len() {
            if self.lives[i].alive && !self.lives[i].hidden && !self.lives[i].ready {
                self.ready(i);
            }
        }
        self.open(true);
        for _ in 0..40 {
            self.advance(f64::from(TICK_MS));
        }
        for i in 0..self.lives.len() {
            if self.lives[i].alive && !self.lives[i].hidden {
                self.tag_loads(i);
            }
        }
        // Claims left on pages that lived on go stale and are cleared.
        for _ in 0..10 {
            self.advance(f64::from(TICK_MS));
        }
    }

    fn counts(&self) -> BTreeMap<u32, usize> {
        let mut counts = BTreeMap::new();
        for command in self.world.delivered.borrow().iter() {
            *counts.entry(*command).or_insert(0) += 1;
        }
        counts
    }
}

#[derive(Debug, Clone)]
enum Action {
    Open(bool),
    Send(usize),
    Ready(usize),
    TagLoads(usize),
    Hide(usize),
    Show(usize),
    Crash(usize),
    Advance(u32),
    Junk,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        2 => any::<bool>().prop_map(Action::Open),
        4 => any::<usize>().prop_map(Action::Send),
        1 => any::<usize>().prop_map(Action::Ready),
        1 => any::<usize>().prop_map(Action::TagLoads),
        1 => any::<usize>().prop_map(Action::Hide),
        1 => any::<usize>().prop_map(Action::Show),
        1 => any::<usize>().prop_map(Action::Crash),
        4 => (1..=TICK_MS).prop_map(Action::Advance),
        1 => (1..=TICK_MS / 10).prop_map(Action::Advance),
        1 => Just(Action::Junk),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Any interleaving of pages opening, sending, getting their wasm and
    /// their tag, going into the back/forward cache and back, and crashing,
    /// with time passing (live pages' timers running): no command reaches
    /// a tag twice, and once a page of the site lives on, every command
    /// reaches one once.
    #[test]
    fn every_command_reaches_a_tag_once(actions in prop::collection::vec(action(), 1..60)) {
        let mut model = Model::new(Vec::new());
        model.open(true);
        for action in &actions {
            model.run(action);
            let twice: Vec<u32> = model.counts().into_iter().filter(|&(_, n)| n > 1).map(|(c, _)| c).collect();
            prop_assert!(twice.is_empty(), "delivered twice: {:?} after {:?}", twice, action);
        }
        model.finish();
        let counts = model.counts();
        for command in &model.sent {
            prop_assert_eq!(counts.get(command).copied(), Some(1), "command {} (sent {:?})", command, model.sent);
        }
        prop_assert!(model.world.storage.borrow().is_empty(), "left in storage: {:?}", model.world.storage.borrow());
    }

    /// Whatever a page's keys and claims say, `step` never panics, and
    /// takes only from a page whose lease is over, on its own standing claim.
    #[test]
    fn step_takes_only_on_a_standing_claim_of_a_gone_page(lease in prop::option::of(any::<f64>()), newest in any::<f64>(), claim in prop::option::of((prop_oneof![Just("me".to_string()), Just("p".to_string())], any::<f64>())), now in any::<f64>()) {
        let other = Other { page: "o".into(), keys: vec!["o".into()], lease, newest, claim: claim.clone() };
        let renewed = lease.unwrap_or(newest);
        if step(&other, "me", now) == Step::Take {
            prop_assert!((now - renewed).abs() > LEASE_MS || renewed.is_nan() || now.is_nan());
            let (by, at) = claim.unwrap();
            prop_assert_eq!(by, "me");
            prop_assert!(now - at >= CLAIM_WAIT_MS && now - at <= CLAIM_STALE_MS);
        }
    }
}

// ---------------------------------------------------------------------
// The model, scene by scene: the cases the e2e tests show in browsers.

#[test]
fn a_crashed_page_is_taken_over_once_its_lease_expires_and_once_by_five_tabs() {
    let mut m = Model::new(Vec::new());
    m.open(true);
    m.send(0);
    m.advance(300.0);
    m.run(&Action::Crash(0));
    for _ in 0..5 {
        m.open(true);
    }
    let mut waited = 0.0;
    while m.world.storage.borrow().contains_key("p0") {
        m.advance(f64::from(TICK_MS));
        waited += f64::from(TICK_MS);
        assert!(waited < 10_000.0, "still not taken after {waited} ms");
    }
    assert!(waited >= LEASE_MS - 300.0 - f64::from(TICK_MS), "taken at {waited} ms, while the lease held");
    for i in 1..=5 {
        m.tag_loads(i);
    }
    assert_eq!(*m.world.delivered.borrow(), [1]);
    assert!(m.world.storage.borrow().is_empty());
}

/// Storage as separate tabs see it: each sees its own writes at once and
/// the others' only `LAG` ms later (a write reaches another renderer
/// through the browser process).
struct Lagged {
    now: std::cell::Cell<f64>,
    /// (when, by which tab, key, value or removed), in order.
    log: RefCell<Vec<Write>>,
    queues: RefCell<Vec<Vec<u32>>>,
}

/// One write in `Lagged`'s log.
type Write = (f64, usize, String, Option<Slot>);

const LAG: f64 = 100.0;

struct LaggedTab<'w>(&'w Lagged, usize);

impl LaggedTab<'_> {
    fn view(&self) -> BTreeMap<String, Slot> {
        let mut view = BTreeMap::new();
        for (at, tab, key, value) in self.0.log.borrow().iter() {
            if *tab == self.1 || *at + LAG <= self.0.now.get() {
                match value {
                    Some(slot) => view.insert(key.clone(), slot.clone()),
                    None => view.remove(key),
                };
            }
        }
        view
    }
    fn set(&self, key: &str, value: Option<Slot>) {
        self.0.log.borrow_mut().push((self.0.now.get(), self.1, key.to_string(), value));
    }
}

impl Page for LaggedTab<'_> {
    type Command = u32;
    fn loaded(&self) -> bool { false }
    fn push(&self, command: &u32) -> bool { self.0.queues.borrow_mut()[self.1].push(*command); true }
    fn unqueue(&self, command: &u32) { self.0.queues.borrow_mut()[self.1].retain(|c| c != command) }
    fn keys(&self) -> Option<Vec<String>> { Some(self.view().keys().cloned().collect()) }
    fn value(&self, key: &str, _: u32) -> Value { self.view().get(key).map_or(Value::Undefined, Slot::value) }
    fn command(&self, key: &str) -> u32 { self.view().get(key).map_or(0, Slot::command) }
    fn decide(&self, _: &str, _: Method) -> Vec<u32> { Vec::new() }
    fn has(&self, key: &str) -> bool { self.view().contains_key(key) }
    fn write(&self, key: &str, value: Stored<'_, u32>) -> Option<usize> {
        self.set(key, Some(Slot::of(value)));
        Some(40)
    }
    fn remove(&self, key: &str) { self.set(key, None) }
}

#[test]
fn two_tabs_that_see_each_others_writes_late_take_a_gone_page_once() {
    // A page that went, and two tabs whose ticks fall at the same instant,
    // each seeing the other's writes only LAG ms later (less than CLAIM_WAIT_MS).
    let world = Lagged { now: std::cell::Cell::new(NOW), log: RefCell::new(Vec::new()), queues: RefCell::new(vec![Vec::new(), Vec::new(), Vec::new()]) };
    LaggedTab(&world, 0).write("gone", Stored::Lease(0.0));
    LaggedTab(&world, 0).write("gone:e0", Stored::Entry(NOW - 10.0, &7));
    world.now.set(NOW + LAG);
    let mut tabs = [Outbox::new("a".into()), Outbox::new("b".into())];
    for _ in 0..6 {
        for (i, outbox) in tabs.iter_mut().enumerate() {
            outbox.tick(&LaggedTab(&world, i + 1), world.now.get(), true);
        }
        world.now.set(world.now.get() + f64::from(TICK_MS));
    }
    let queues = world.queues.borrow();
    assert_eq!([queues[1].len(), queues[2].len()].iter().sum::<usize>(), 1, "taken once: {:?}", *queues);
    const { assert!(LAG < CLAIM_WAIT_MS) };
}

#[test]
fn a_live_page_keeps_what_it_kept_while_another_tab_opens() {
    let mut m = Model::new(Vec::new());
    m.open(true);
    m.send(0);
    m.open(true);
    for _ in 0..20 {
        m.advance(f64::from(TICK_MS));
    }
    assert!(m.world.tabs.borrow()[1].queue.is_empty(), "the second tab took a live page's command");
    m.tag_loads(0);
    m.tag_loads(1);
    assert_eq!(*m.world.delivered.borrow(), [1]);
    assert!(m.world.storage.borrow().is_empty(), "the record goes once the tag has it");
}

#[test]
fn a_page_that_goes_is_taken_over_by_the_next_at_once() {
    let mut m = Model::new(Vec::new());
    m.open(true);
    m.send(0);
    m.run(&Action::Hide(0));
    m.open(true);
    assert!(matches!(m.world.storage.borrow().get("p0:claim"), Some(Slot::Claim(by, _)) if by == "p1"), "claimed at once");
    m.advance(f64::from(TICK_MS));
    assert_eq!(m.world.tabs.borrow()[1].queue, [1], "taken on the next tick");
    // Back from the cache: its record is gone, so the command leaves its queue.
    m.run(&Action::Show(0));
    assert!(m.world.tabs.borrow()[0].queue.is_empty());
    m.tag_loads(0);
    m.tag_loads(1);
    assert_eq!(*m.world.delivered.borrow(), [1]);
}

#[test]
fn commands_kept_in_the_same_millisecond_are_taken_over_in_the_order_they_were_sent() {
    // Twelve commands at one time (a hybrid order's two, or a burst): the
    // keys list `p0:e10` before `p0:e2` (storage lists keys in no useful
    // order; the model, like Chromium, sorts them as text).
    let mut m = Model::new(Vec::new());
    m.open(true);
    m.open(false);
    m.send(1); // a call key, before its wasm
    m.send(1);
    for _ in 0..12 {
        m.send(0);
    }
    m.run(&Action::Hide(0));
    m.run(&Action::Crash(1));
    m.open(true);
    m.advance(f64::from(TICK_MS));
    m.advance(f64::from(LEASE_MS));
    m.advance(f64::from(TICK_MS));
    m.tag_loads(2);
    let delivered = m.world.delivered.borrow().clone();
    let of = |page: &[u32]| delivered.iter().copied().filter(|c| page.contains(c)).collect::<Vec<u32>>();
    assert_eq!(of(&[1, 2]), [1, 2], "the calls, in order: {delivered:?}");
    assert_eq!(of(&(3..=14).collect::<Vec<u32>>()), (3..=14).collect::<Vec<u32>>(), "the entries, in order: {delivered:?}");
    assert_eq!(delivered.len(), 14);
}

#[test]
fn an_item_key_says_in_which_order_its_page_wrote_it() {
    assert_eq!(written("p:e0"), 0);
    assert_eq!(written("p:e12"), 12);
    assert_eq!(written("p:7"), 7);
    for other in ["p", "p:claim", "p:e", ""] {
        assert_eq!(written(other), 0, "{other:?}");
    }
}

#[test]
fn back_from_the_cache_before_anyone_took_it_the_page_keeps_its_own() {
    let mut m = Model::new(Vec::new());
    m.open(true);
    m.send(0);
    m.run(&Action::Hide(0));
    m.open(true); // claims
    m.run(&Action::Show(0)); // renews before the claim is acted on
    m.advance(f64::from(TICK_MS));
    assert!(m.world.tabs.borrow()[1].queue.is_empty(), "a renewed lease is not taken");
    m.tag_loads(0);
    assert_eq!(*m.world.delivered.borrow(), [1]);
}

#[test]
fn calls_kept_before_the_wasm_are_sent_by_their_page_or_by_another_never_both() {
    // The page lives on, its wasm slow: another tab takes the calls after
    // the lease, and the page does not send them when its wasm arrives.
    let mut m = Model::new(Vec::new());
    m.open(false);
    m.send(0);
    m.open(true);
    for _ in 0..8 {
        m.advance(f64::from(TICK_MS));
    }
    assert_eq!(m.world.tabs.borrow()[1].queue, [1]);
    m.ready(0);
    assert!(m.world.tabs.borrow()[0].queue.is_empty());
    // A page whose wasm came in time sends its own.
    let mut m = Model::new(Vec::new());
    m.open(false);
    m.send(0);
    m.ready(0);
    assert_eq!(m.world.tabs.borrow()[0].queue, [1]);
    assert!(matches!(m.world.storage.borrow().get("p0:e0"), Some(Slot::Entry(_, 1))), "kept as its own");
    assert!(matches!(m.world.storage.borrow().get("p0"), Some(Slot::Lease(_))), "under its lease");
    assert!(!m.world.storage.borrow().contains_key("p0:0"), "the call key is gone");
}

#[test]
fn a_stale_claim_is_claimed_anew_and_junk_is_removed() {
    let mut m = Model::new(Vec::new());
    m.world.storage.borrow_mut().insert("dead".into(), Slot::Lease(NOW - 10_000.0));
    m.world.storage.borrow_mut().insert("dead:e3".into(), Slot::Entry(NOW - 10_000.0, 9));
    m.world.storage.borrow_mut().insert("dead:claim".into(), Slot::Claim("gone".into(), NOW - CLAIM_STALE_MS - 1.0));
    m.world.storage.borrow_mut().insert("dead:x".into(), Slot::Junk);
    m.open(true);
    m.advance(f64::from(TICK_MS));
    assert_eq!(m.world.tabs.borrow()[0].queue, [9]);
    assert!(m.world.storage.borrow().keys().all(|k| k.starts_with("p0")), "{:?}", m.world.storage.borrow().keys().collect::<Vec<_>>());
}

#[test]
fn with_no_storage_nothing_ticks() {
    /// A page whose storage refuses every write.
    struct NoStorage<'w>(Tab<'w>);
    impl Page for NoStorage<'_> {
        type Command = u32;
        fn loaded(&self) -> bool { false }
        fn push(&self, command: &u32) -> bool { self.0.push(command) }
        fn unqueue(&self, command: &u32) { self.0.unqueue(command) }
        fn keys(&self) -> Option<Vec<String>> { None }
        fn value(&self, _: &str, _: u32) -> Value { Value::Undefined }
        fn command(&self, _: &str) -> u32 { 0 }
        fn decide(&self, _: &str, _: Method) -> Vec<u32> { Vec::new() }
        fn has(&self, _: &str) -> bool { false }
        fn write(&self, _: &str, _: Stored<'_, u32>) -> Option<usize> { None }
        fn remove(&self, _: &str) {}
    }
    let world = World::default();
    world.tabs.borrow_mut().push(TabState::default());
    let page = NoStorage(Tab { world: &world, index: 0 });
    let mut out = Outbox::new("p".into());
    out.keep(&page, vec![Entry { at: NOW, command: 1 }], NOW);
    assert_eq!(out.tick(&page, NOW + 1_000.0, true), (false, 0), "no timer for a lease never written");
}

#[test]
fn an_unserializable_command_is_sent_but_not_kept() {
    let mut m = Model::new(vec![1]);
    m.open(true);
    m.send(0);
    assert_eq!(m.world.tabs.borrow()[0].queue, [1]);
    assert!(m.world.storage.borrow().is_empty());
}

// ---------------------------------------------------------------------
// The pieces.

#[test]
fn keys_name_their_page_and_what_they_hold() {
    assert_eq!(outbox::prefix("acme"), "convertro:v2:acme:");
    assert_eq!(parse_key("123"), ("123", Kind::Lease));
    assert_eq!(parse_key("123:0"), ("123", Kind::Item), "a call");
    assert_eq!(parse_key("123:e42"), ("123", Kind::Item), "an entry");
    assert_eq!(parse_key("123:claim"), ("123", Kind::Claim));
    assert_eq!(parse_key("123:"), ("123", Kind::Item), "read as an item, dropped unless it is one");
    assert_eq!(parse_key("123:x:1"), ("123", Kind::Item));
    assert_eq!(outbox::claim_key("123"), "123:claim");
}

#[test]
fn others_groups_keys_by_page_with_the_lease_the_newest_item_and_the_claim() {
    let keys = vec![
        ("a".to_string(), json(r#"{"lease":5}"#)),
        ("a:0".to_string(), json(r#"{"at":9,"call":["track",{}]}"#)),
        ("a:e3".to_string(), json(r#"{"at":8,"command":[]}"#)),
        ("a:claim".to_string(), json(r#"{"by":"me","at":7}"#)),
        ("me".to_string(), json(r#"{"lease":1}"#)),
        ("b:1".to_string(), json("null")),
        ("c".to_string(), json(r#"{"lease":"soon"}"#)),
    ];
    let pages = others(keys, "me");
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0], Other { page: "a".into(), keys: vec!["a".into(), "a:0".into(), "a:e3".into(), "a:claim".into()], lease: Some(5.0), newest: 9.0, claim: Some(("me".into(), 7.0)) });
    assert_eq!(pages[1], Other { page: "b".into(), keys: vec!["b:1".into()], lease: None, newest: 0.0, claim: None });
    assert_eq!(pages[2].lease, Some(0.0), "a lease that is no number is no lease");
}

#[test]
fn the_ownership_rule_step_by_step() {
    let other = |lease: f64, claim: Option<(&str, f64)>| Other { page: "o".into(), keys: vec!["o".into()], lease: Some(lease), newest: 0.0, claim: claim.map(|(b, a)| (b.into(), a)) };
    assert_eq!(step(&other(NOW - 1_000.0, None), "me", NOW), Step::Wait, "leased");
    assert_eq!(step(&other(NOW - LEASE_MS, None), "me", NOW), Step::Wait, "leased to the last ms");
    assert_eq!(step(&other(NOW - LEASE_MS - 1.0, None), "me", NOW), Step::Claim, "expired");
    assert_eq!(step(&other(0.0, None), "me", NOW), Step::Claim, "released");
    assert_eq!(step(&other(NOW + 3_600_000.0, None), "me", NOW), Step::Claim, "a lease from a clock set back does not last");
    assert_eq!(step(&other(0.0, Some(("me", NOW - 100.0))), "me", NOW), Step::Wait, "own claim too new");
    assert_eq!(step(&other(0.0, Some(("me", NOW - CLAIM_WAIT_MS))), "me", NOW), Step::Take);
    assert_eq!(step(&other(0.0, Some(("p", NOW - 100.0))), "me", NOW), Step::Wait, "another's claim stands");
    assert_eq!(step(&other(0.0, Some(("p", NOW - CLAIM_STALE_MS - 1.0))), "me", NOW), Step::Claim, "a stale claim");
    assert_eq!(step(&other(NOW, Some(("me", NOW - CLAIM_WAIT_MS))), "me", NOW), Step::Wait, "the owner came back");
    let released_with_fresh_entries = Other { newest: NOW, ..other(0.0, None) };
    assert_eq!(step(&released_with_fresh_entries, "me", NOW), Step::Claim, "a lease key alone says whether its page lives");
    let calls_only = Other { lease: None, newest: NOW - 1_000.0, ..other(0.0, None) };
    assert_eq!(step(&calls_only, "me", NOW), Step::Wait, "a page with calls only counts as renewed when it wrote one");
}

#[test]
fn kept_until_delivered_then_the_record_goes_and_nothing_more_is_kept() {
    let mut m = Model::new(Vec::new());
    m.open(true);
    m.send(0);
    assert!(matches!(m.world.storage.borrow().get("p0"), Some(Slot::Lease(lease)) if *lease == NOW));
    assert!(matches!(m.world.storage.borrow().get("p0:e0"), Some(Slot::Entry(at, 1)) if *at == NOW), "one small key per kept command");
    m.tag_loads(0);
    assert!(m.world.storage.borrow().is_empty());
    m.send(0);
    assert!(m.world.storage.borrow().is_empty());
    assert!(m.lives[0].outbox.is_delivered());
}

#[test]
fn the_oldest_go_beyond_the_entry_and_size_limits() {
    let world = World::default();
    world.tabs.borrow_mut().push(TabState::default());
    let page = Tab { world: &world, index: 0 };
    let mut out = Outbox::new("p".into());
    let mut dropped = 0;
    for i in 0..(MAX_ENTRIES as u32 + 3) {
        dropped += out.keep(&page, vec![Entry { at: NOW, command: i }], NOW);
    }
    assert_eq!(dropped, 3);
    assert_eq!(out.commands().next(), Some(&3));
    assert_eq!(out.commands().count(), MAX_ENTRIES);
    // 40 chars a command in the model: the size limit is far beyond 100 of them.
    const { assert!(MAX_ENTRIES * 40 < MAX_CHARS) };
}

#[test]
fn expired_entries_are_dropped_when_taken() {
    let mut m = Model::new(Vec::new());
    m.world.storage.borrow_mut().insert(
        "dead".into(),
        Slot::Lease(0.0),
    );
    m.world.storage.borrow_mut().insert("dead:e0".into(), Slot::Entry(NOW - MAX_AGE_MS - 1.0, 1));
    m.world.storage.borrow_mut().insert("dead:e1".into(), Slot::Entry(NOW - 1.0, 2));
    m.open(true);
    m.advance(f64::from(TICK_MS));
    assert_eq!(m.world.tabs.borrow()[0].queue, [2]);
}

#[test]
fn stored_entries_of_the_exact_shape_are_read() {
    for (text, expected) in [
        (format!(r#"{{"at":{},"command":{EVENT}}}"#, NOW - 10.0), Some(NOW - 10.0)),
        (format!(r#"{{"at":{NOW},"command":["trackUser",{{"email":"x@y.z","nested":{{"k":[1]}},"id":"u-1"}}]}}"#), Some(NOW)),
        (format!(r#"{{"at":{NOW},"command":["trackUser",{{"id":7}}]}}"#), Some(NOW)),
    ] {
        assert_eq!(entry(&json(&text)), expected, "{text}");
    }
    // An entry of another page with malformed siblings: only the well-formed ones are taken.
    let mut m = Model::new(Vec::new());
    m.world.storage.borrow_mut().insert("gone".into(), Slot::Lease(0.0));
    m.world.storage.borrow_mut().insert("gone:e0".into(), Slot::Entry(NOW - 5.0, 4));
    m.world.storage.borrow_mut().insert("gone:e1".into(), Slot::Junk);
    m.world.storage.borrow_mut().insert("gone:x".into(), Slot::Lease(3.0));
    m.open(true);
    m.advance(f64::from(TICK_MS));
    assert_eq!(m.world.tabs.borrow()[0].queue, [4]);
    assert!(m.world.storage.borrow().keys().all(|k| k.starts_with("p0")));
}

#[test]
fn anything_but_the_exact_shape_is_dropped() {
    let ok = |command: &str| format!(r#"{{"at":{NOW},"command":{command}}}"#);
    for bad in [
        r#"["trackEvent",{"type":""}]"#,
        r#"["trackEvent",{"type":"sale","extra":1}]"#,
        r#"["trackEvent",{"type":"sale","id":5}]"#,
        r#"["trackEvent",{"id":"o"}]"#,
        r#"["trackEvent",{"type":"sale"},1]"#,
        r#"["trackUser",{"name":"no id"}]"#,
        r#"["trackUser",{"id":""}]"#,
        r#"["trackUser",[]]"#,
        r#"["eval",{"type":"sale"}]"#,
        r#"{"type":"sale"}"#,
        r#""trackEvent""#,
    ] {
        assert_eq!(entry(&json(&ok(bad))), None, "{bad}");
    }
    for bad_entry in [
        format!(r#"{{"at":{NOW},"command":{EVENT},"more":1}}"#),
        format!(r#"{{"at":"{NOW}","command":{EVENT}}}"#),
        format!(r#"{{"command":{EVENT}}}"#),
        format!(r#"{{"id":1,"at":{NOW},"command":{EVENT}}}"#),
        "null".into(),
        "[]".into(),
    ] {
        assert_eq!(entry(&json(&bad_entry)), None, "{bad_entry}");
    }
}

#[test]
fn stored_calls_name_their_method_and_time() {
    assert_eq!(call(&json(r#"{"at":1,"call":["track",{"event":"Order Completed"}]}"#)), Some((Method::Track, 1.0)));
    assert_eq!(call(&json(r#"{"at":2,"call":["identify",{}]}"#)), Some((Method::Identify, 2.0)));
    for bad in [r#"{"at":1,"call":["page",{}]}"#, r#"{"at":1,"call":["track"]}"#, r#"{"at":1}"#, r#"{"call":["track",{}]}"#, r#"{"at":"1","call":["track",{}]}"#, r#"["track",{}]"#, "null"] {
        assert_eq!(call(&json(bad)), None, "{bad}");
    }
}

#[test]
fn the_dropped_note_states_the_limits_the_rules_apply() {
    // MAX_CHARS as the message writes it, with thousands separators.
    let digits = MAX_CHARS.to_string();
    let mut chars = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            chars.push(',');
        }
        chars.push(digit);
    }
    let message = Note::Dropped.message();
    for limit in [format!("{MAX_ENTRIES} commands"), format!("{chars} characters"), format!("{} hours", MAX_AGE_MS / 3_600_000.0)] {
        assert!(message.contains(&limit), "{message:?} does not say {limit:?}");
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<f64>().prop_filter("finite", |n| n.is_finite()).prop_map(|n| serde_json::json!(n)),
        prop_oneof![Just("trackEvent".to_string()), Just("trackUser".to_string()), Just("type".to_string()), Just("id".to_string()), Just("at".to_string()), Just("command".to_string()), "[a-z0-9_-]{0,8}", any::<String>()].prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::vec((prop_oneof![Just("type".to_string()), Just("id".to_string()), Just("at".to_string()), Just("command".to_string()), Just("amount".to_string()), Just("lease".to_string()), Just("by".to_string()), Just("call".to_string()), "[a-z]{0,4}"], inner), 0..5)
                .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_stored_values_never_panic_nor_yield_a_malformed_command(text in any::<String>(), value in json_value(), key in "[a-z0-9:]{0,8}", now in any::<f64>()) {
        for parsed in [serde_json::from_str::<Value>(&text).ok(), serde_json::from_value::<Value>(value).ok()].into_iter().flatten() {
            if entry(&parsed).is_some() {
                let Value::Map(fields) = &parsed else { return Err(TestCaseError::fail("an entry that is no object")) };
                let command = fields.iter().find(|(k, _)| k == "command").map(|(_, v)| v);
                prop_assert!(command.is_some_and(outbox::is_command));
            }
            let _ = call(&parsed);
            for other in others(vec![(key.clone(), parsed.clone())], "me") {
                let _ = step(&other, "me", now);
            }
        }
    }
}
