//! Events → Convertro commands: identify → `trackUser`, Order Completed →
//! `sale` / `sale.new` / `sale.repeat`, mapped events → their types.

use alloc::string::String;
use alloc::vec::Vec;

use super::amount::amount_of;
use super::keys::{Field, Fields};
use super::consent::{allows, Consent};
use super::engine::Engine;
use super::names::is_order_completed;
use super::{Settings, Value};

/// An id as the event gave it: a non-empty string or a finite number.
#[derive(Debug, Clone, PartialEq)]
pub enum Id {
    /// A non-empty string.
    Text(String),
    /// A finite number.
    Number(f64),
}

impl Id {
    /// The id a value gives, if it is a non-empty string or a finite number.
    pub fn from_value(value: &Value) -> Option<Id> {
        match value {
            Value::String(s) if !s.is_empty() => Some(Id::Text(s.clone())),
            Value::Number(n) if n.is_finite() => Some(Id::Number(*n)),
            _ => None,
        }
    }
}

/// The `type` of a `trackEvent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `sale`: an order, new or repeat unknown (or the hybrid model's second conversion).
    Sale,
    /// `sale.new`: an order with `repeat: false`.
    SaleNew,
    /// `sale.repeat`: an order with `repeat: true`.
    SaleRepeat,
    /// A type from the `events` setting: index into [`EventMap::types`](super::EventMap::types).
    Mapped(usize),
}

impl Kind {
    /// The type's name as Convertro receives it.
    pub fn name<'a>(&self, settings: &'a Settings) -> &'a str {
        match self {
            Kind::Sale => "sale",
            Kind::SaleNew => "sale.new",
            Kind::SaleRepeat => "sale.repeat",
            Kind::Mapped(index) => settings.events().types().get(*index).map_or("", String::as_str),
        }
    }
}

/// One command for Convertro's queue.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `['trackUser', traits]`: a copy of the identify's traits with `id` set
    /// to `user_id`, sent as given (a string stays a string, a number a number).
    TrackUser {
        /// The identify's userId.
        user_id: Id,
    },
    /// `['trackEvent', { type, id, amount }]`. `id` is always sent as a
    /// string (a number as JavaScript's `String()` writes it); `id` and
    /// `amount` are left out when `None`.
    TrackEvent {
        /// The conversion's type.
        kind: Kind,
        /// The order id.
        id: Option<Id>,
        /// The amount, always finite.
        amount: Option<f64>,
    },
}

/// Why (part of) an event was not sent, for a `ctx.log('debug', …)` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The context carries no event object.
    NoEvent,
    /// identify without a usable userId.
    NoUserId,
    /// identify whose traits could not be copied.
    TraitsUnreadable,
    /// track whose event name is not a string.
    NameNotText,
    /// The event's properties are missing or not an object.
    NoProperties,
    /// Listing the properties' keys threw.
    PropertiesUnreadable,
    /// Reading one property the rules use threw; it was left out.
    ValueUnreadable,
    /// Order Completed without a usable order id.
    NoOrderId,
    /// The visitor has not consented to every consent category of the
    /// destination.
    NoConsent,
}

impl Skip {
    /// Every reason, in declaration order (`skip as usize` indexes it).
    pub const ALL: [Skip; 9] = [
        Skip::NoEvent,
        Skip::NoUserId,
        Skip::TraitsUnreadable,
        Skip::NameNotText,
        Skip::NoProperties,
        Skip::PropertiesUnreadable,
        Skip::ValueUnreadable,
        Skip::NoOrderId,
        Skip::NoConsent,
    ];

    /// The debug line.
    pub fn message(self) -> &'static str {
        match self {
            Skip::NoEvent => "Convertro: the context has no event; nothing sent.",
            Skip::NoUserId => "Convertro: identify has no userId (a non-empty string or a finite number); nothing sent.",
            Skip::TraitsUnreadable => "Convertro: identify traits could not be read; trackUser sent with the id only.",
            Skip::NameNotText => "Convertro: track event name is not a string; nothing sent.",
            Skip::NoProperties => "Convertro: track properties are missing or not an object; no id or amount sent.",
            Skip::PropertiesUnreadable => "Convertro: track properties could not be read (a getter or proxy threw); no id or amount sent.",
            Skip::ValueUnreadable => "Convertro: a track property could not be read (a getter or proxy threw); it was treated as absent.",
            Skip::NoOrderId => "Convertro: Order Completed has no order id (id, order_id or orderId: a non-empty string or a finite number); nothing sent.",
            Skip::NoConsent => "Convertro: held back for consent: the event's context.consent.categoryPreferences does not grant every one of consentSettings.categories; nothing sent.",
        }
    }
}

/// An event's properties, as the binding layer reads them. Nothing is read
/// until the rules ask: an unmapped event costs no property access.
pub trait Record {
    /// Offers each own enumerable string key to `fields`
    /// ([`Fields::offer`]), with its index, in the object's key order. Fails
    /// with [`Skip::NoProperties`] when the properties are missing or not an
    /// object, and with [`Skip::PropertiesUnreadable`] when listing the keys
    /// threw.
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip>;
    /// The value under the key visited as number `index`.
    fn value(&mut self, index: usize) -> Value;
}

/// What a track call gives: the commands to push, in order, and a note to log.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Track {
    /// Commands to push onto `$CVO`, in order.
    pub commands: Vec<Command>,
    /// Why something was not sent, when it matters to a user reading the debug log.
    pub skipped: Option<Skip>,
    /// Which property (by index in key order) the id was read from, so that
    /// the binding can send the very value it read.
    pub id_key: Option<usize>,
}

/// identify → `trackUser`, when the userId is a non-empty string or a
/// finite number and the visitor's consent [`allows`] it.
pub fn identify<C: Consent>(settings: &Settings, user_id: &Value, consent: &mut C) -> Result<Command, Skip> {
    let user_id = Id::from_value(user_id).ok_or(Skip::NoUserId)?;
    if !allows(settings.categories(), consent) {
        return Err(Skip::NoConsent);
    }
    Ok(Command::TrackUser { user_id })
}

/// track → commands; `engine` reads amounts and lower-cases names (see [`Engine`]).
pub fn track<R: Record, C: Consent>(settings: &Settings, name: &str, properties: &mut R, consent: &mut C, engine: &impl Engine) -> Track {
    match target(settings, name, engine) {
        Some(target) => track_target(settings, target, properties, consent, engine),
        None => Track::default(),
    }
}

/// What a track event is to Convertro, decided from its name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Order Completed.
    Order,
    /// A mapped event: the group from [`EventMap::group_of`](super::EventMap::group_of).
    Mapped(usize),
}

/// Whether an event name is sent to Convertro, and as what. The events
/// mapping does not apply to Order Completed.
pub fn target(settings: &Settings, name: &str, engine: &impl Engine) -> Option<Target> {
    if is_order_completed(name) {
        Some(Target::Order)
    } else {
        settings.events().group_of(name, engine).map(Target::Mapped)
    }
}

/// track → commands, for an event whose [`target`] is known. Consent is
/// asked before any property is read: an event held back for consent reads
/// none.
pub fn track_target<R: Record, C: Consent>(settings: &Settings, target: Target, properties: &mut R, consent: &mut C, engine: &impl Engine) -> Track {
    if !allows(settings.categories(), consent) {
        return Track { skipped: Some(Skip::NoConsent), ..Track::default() };
    }
    let (order, group) = match target {
        Target::Order => (true, None),
        Target::Mapped(group) => (false, Some(group)),
    };
    let read = Read::from(properties, order, engine);
    let mut out = Track { commands: Vec::new(), skipped: read.problem, id_key: read.id_key };
    if order {
        let Some(id) = read.id else {
            out.skipped = Some(out.skipped.unwrap_or(Skip::NoOrderId));
            return out;
        };
        let kinds: &[Kind] = match (read.repeat, settings.hybrid()) {
            (Some(true), false) => &[Kind::SaleRepeat],
            (Some(true), true) => &[Kind::SaleRepeat, Kind::Sale],
            (Some(false), false) => &[Kind::SaleNew],
            (Some(false), true) => &[Kind::SaleNew, Kind::Sale],
            (None, _) => &[Kind::Sale],
        };
        for &kind in kinds {
            out.commands.push(Command::TrackEvent { kind, id: Some(id.clone()), amount: read.amount });
        }
    } else {
        for index in group.into_iter().flat_map(|group| settings.events().group(group)) {
            out.commands.push(Command::TrackEvent { kind: Kind::Mapped(index), id: read.id.clone(), amount: read.amount });
        }
    }
    out
}

/// What the rules take from an event's properties.
struct Read {
    id: Option<Id>,
    id_key: Option<usize>,
    amount: Option<f64>,
    repeat: Option<bool>,
    problem: Option<Skip>,
}

impl Read {
    /// Reads, in this order: the order id, which is the first *truthy* one
    /// of `id` and `order_id` (as Segment's facade picks it: `0`, `''`,
    /// `false`, `NaN`, `null` are passed over), and then only if it is an
    /// [`Id`]; the first of `total` / `revenue` that is an amount; and (for
    /// an order) `repeat`. Each property only while its answer is open.
    fn from<R: Record>(record: &mut R, order: bool, engine: &impl Engine) -> Read {
        let mut read = Read { id: None, id_key: None, amount: None, repeat: None, problem: None };
        let mut id_picked = false;
        let mut fields = Fields::default();
        if let Err(problem) = record.keys(&mut fields) {
            read.problem = Some(problem);
            return read;
        }
        for field in Field::ALL {
            let open = match field {
                Field::Id | Field::OrderId => !id_picked,
                Field::Total | Field::Revenue => read.amount.is_none(),
                Field::Repeat => order,
            };
            let Some(index) = fields.get(field).filter(|_| open) else { continue };
            let value = record.value(index);
            if matches!(value, Value::Unreadable) {
                read.problem = Some(Skip::ValueUnreadable);
            }
            match field {
                Field::Id | Field::OrderId => {
                    id_picked = value.is_truthy();
                    read.id = Id::from_value(&value).filter(|_| id_picked);
                    read.id_key = read.id.as_ref().map(|_| index);
                }
                Field::Total | Field::Revenue => read.amount = amount_of(&value, engine),
                Field::Repeat => read.repeat = if let Value::Bool(repeat) = value { Some(repeat) } else { None },
            }
        }
        read
    }
}
