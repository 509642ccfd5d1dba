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
pub enum ConvertroType {
    /// `sale`: an order, new or repeat unknown (or the hybrid model's second conversion).
    Sale,
    /// `sale.new`: an order with `repeat: false`.
    SaleNew,
    /// `sale.repeat`: an order with `repeat: true`.
    SaleRepeat,
    /// A type from the `events` setting: index into [`EventMap::types`](super::EventMap::types).
    Mapped(usize),
}

impl ConvertroType {
    /// The type's name as Convertro receives it.
    pub fn name<'a>(&self, settings: &'a Settings) -> &'a str {
        match self {
            ConvertroType::Sale => "sale",
            ConvertroType::SaleNew => "sale.new",
            ConvertroType::SaleRepeat => "sale.repeat",
            ConvertroType::Mapped(index) => settings.events().types().get(*index).map_or("", String::as_str),
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
    /// string (a number as JavaScript's `String()` writes it; text that held
    /// a lone surrogate arrives here with U+FFFD in its place, as every
    /// string the binding reads); `id` and `amount` are left out when `None`.
    TrackEvent {
        /// The conversion's type.
        kind: ConvertroType,
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
    /// `window.$CVO.push` threw, or `$CVO` could not be made.
    PushFailed,
}

impl Skip {
    /// Every reason, in declaration order.
    pub const ALL: [Skip; 10] = [
        Skip::NoEvent,
        Skip::NoUserId,
        Skip::TraitsUnreadable,
        Skip::NameNotText,
        Skip::NoProperties,
        Skip::PropertiesUnreadable,
        Skip::ValueUnreadable,
        Skip::NoOrderId,
        Skip::NoConsent,
        Skip::PushFailed,
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
            Skip::PushFailed => "Convertro: window.$CVO.push failed (is $CVO an array or Convertro's queue?); command dropped.",
        }
    }
}

/// An event's properties, as the binding layer reads them. Nothing is read
/// until the rules ask: an unmapped event costs no property access.
pub trait Properties {
    /// Offers each own enumerable string key to `fields`
    /// ([`Fields::offer`]), with its index, in the object's key order. Fails
    /// with [`Skip::NoProperties`] when the properties are missing or not an
    /// object, and with [`Skip::PropertiesUnreadable`] when listing the keys
    /// threw.
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip>;
    /// The value under the key visited as number `index`.
    fn value(&mut self, index: usize) -> Value;
}

/// One analytics.js event (the `ctx.event` of a destination's `track` or
/// `identify`), as the binding reads it for the rules: its properties
/// ([`Properties`]), its consent preferences ([`Consent`]), and these.
pub trait Event: Properties + Consent {
    /// The track event's name (`event`). Fails with [`Skip::NoEvent`] when
    /// there is no event object, [`Skip::NameNotText`] when the name is not
    /// a string.
    fn name(&mut self) -> Result<String, Skip>;
    /// The identify's `userId`. Fails with [`Skip::NoEvent`] when there is
    /// no event object.
    fn user_id(&mut self) -> Result<Value, Skip>;
}

/// What the rules decided for one event: the commands to push onto
/// `$CVO`, in order, and why anything was not sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    /// Commands to push onto `$CVO`, in order.
    pub commands: Vec<Command>,
    /// Why something was not sent, for a `ctx.log('debug', …)` line.
    pub skipped: Option<Skip>,
}

impl Decision {
    fn skip(skip: Skip) -> Decision {
        Decision { commands: Vec::new(), skipped: Some(skip) }
    }
}

/// identify → `trackUser`, when the userId is a non-empty string or a
/// finite number and the visitor's consent [`allows`] it.
pub fn identify(settings: &Settings, event: &mut impl Event) -> Decision {
    let user_id = match event.user_id() {
        Ok(value) => value,
        Err(skip) => return Decision::skip(skip),
    };
    let Some(user_id) = Id::from_value(&user_id) else { return Decision::skip(Skip::NoUserId) };
    if !allows(settings.categories(), event) {
        return Decision::skip(Skip::NoConsent);
    }
    Decision { commands: alloc::vec![Command::TrackUser { user_id }], skipped: None }
}

/// track → `trackEvent`s: Order Completed, then the `events` mapping (which
/// does not apply to Order Completed). Consent is asked before any property
/// is read; an event that is neither reads nothing more than its name.
/// `engine` reads amounts and lower-cases names (see [`Engine`]).
pub fn track(settings: &Settings, event: &mut impl Event, engine: &impl Engine) -> Decision {
    let name = match event.name() {
        Ok(name) => name,
        Err(skip) => return Decision::skip(skip),
    };
    let order = is_order_completed(&name);
    let mapped = if order { Vec::new() } else { settings.events().lookup(&name, engine) };
    if !order && mapped.is_empty() {
        return Decision::default();
    }
    if !allows(settings.categories(), event) {
        return Decision::skip(Skip::NoConsent);
    }
    let found = Found::from(event, order, engine);
    let mut out = Decision { commands: Vec::new(), skipped: found.problem };
    if order {
        let Some(id) = found.id else {
            out.skipped = Some(out.skipped.unwrap_or(Skip::NoOrderId));
            return out;
        };
        let kinds: &[ConvertroType] = match (found.repeat, settings.hybrid()) {
            (Some(true), false) => &[ConvertroType::SaleRepeat],
            (Some(true), true) => &[ConvertroType::SaleRepeat, ConvertroType::Sale],
            (Some(false), false) => &[ConvertroType::SaleNew],
            (Some(false), true) => &[ConvertroType::SaleNew, ConvertroType::Sale],
            (None, _) => &[ConvertroType::Sale],
        };
        for &kind in kinds {
            out.commands.push(Command::TrackEvent { kind, id: Some(id.clone()), amount: found.amount });
        }
    } else {
        for index in mapped {
            out.commands.push(Command::TrackEvent { kind: ConvertroType::Mapped(index), id: found.id.clone(), amount: found.amount });
        }
    }
    out
}

/// What the rules take from an event's properties.
struct Found {
    id: Option<Id>,
    amount: Option<f64>,
    repeat: Option<bool>,
    problem: Option<Skip>,
}

impl Found {
    /// Reads, in this order: the order id, which is the first *truthy* one
    /// of `id` and `order_id` (as Segment's facade picks it: `0`, `''`,
    /// `false`, `NaN`, `null` are passed over), and then only if it is an
    /// [`Id`]; the first of `total` / `revenue` that is an amount; and (for
    /// an order) `repeat`. Each property only while its answer is open.
    fn from<R: Properties>(record: &mut R, order: bool, engine: &impl Engine) -> Found {
        let mut read = Found { id: None, amount: None, repeat: None, problem: None };
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
                }
                Field::Total | Field::Revenue => read.amount = amount_of(&value, engine),
                Field::Repeat => read.repeat = if let Value::Bool(repeat) = value { Some(repeat) } else { None },
            }
        }
        read
    }
}
