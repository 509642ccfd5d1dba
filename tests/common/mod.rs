//! Test doubles for the pure core: properties as a list of key/value pairs.
#![allow(dead_code)]

use convertro::rules::{Fields, Record, Settings, Skip, Value};

/// An event's properties: entries in key order, or a failure to list them.
#[derive(Debug, Clone)]
pub struct Props {
    pub entries: Vec<(String, Value)>,
    pub broken: Option<Skip>,
    /// How many values the rules read.
    pub reads: usize,
}

impl Props {
    pub fn new(entries: &[(&str, Value)]) -> Props {
        Props { entries: entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(), broken: None, reads: 0 }
    }

    pub fn broken(skip: Skip) -> Props {
        Props { entries: vec![], broken: Some(skip), reads: 0 }
    }
}

impl Record for Props {
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip> {
        if let Some(skip) = self.broken {
            return Err(skip);
        }
        self.entries.iter().enumerate().for_each(|(i, (k, _))| fields.offer(i, k));
        Ok(())
    }

    fn value(&mut self, index: usize) -> Value {
        self.reads += 1;
        self.entries.get(index).map_or(Value::Undefined, |(_, v)| v.clone())
    }
}

pub fn text(s: &str) -> Value {
    Value::String(s.into())
}

pub fn settings(entries: &[(&str, Value)]) -> Settings {
    let mut all = vec![("account".to_string(), text("acme"))];
    all.extend(entries.iter().map(|(k, v)| (k.to_string(), v.clone())));
    Settings::parse(&Value::Map(all)).expect("valid settings")
}

/// An event's consent preferences: what they are, and the values under the
/// settings' categories; records which categories the rules read.
#[derive(Debug, Clone)]
pub struct Prefs {
    pub kind: convertro::rules::Preferences,
    pub values: Vec<(String, Value)>,
    pub categories: Vec<String>,
    pub read: Vec<String>,
}

impl Prefs {
    /// Preferences given as an object, for `settings`' categories.
    pub fn object(settings: &Settings, values: &[(&str, Value)]) -> Prefs {
        Prefs {
            kind: convertro::rules::Preferences::Object,
            values: values.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            categories: settings.categories().to_vec(),
            read: vec![],
        }
    }

    /// The preferences an event's `context` carries (`context.consent.categoryPreferences`), as the binding reads them.
    pub fn of_context(settings: &Settings, context: &Value) -> Prefs {
        use convertro::rules::Preferences;
        let get = |value: &Value, key: &str| match value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map_or(Value::Undefined, |(_, v)| v.clone()),
            _ => Value::Undefined,
        };
        let preferences = get(&get(context, "consent"), "categoryPreferences");
        let kind = match &preferences {
            Value::Undefined | Value::Null => Preferences::Absent,
            Value::Map(_) | Value::List(_) => Preferences::Object,
            _ => Preferences::Other,
        };
        let values = match preferences {
            Value::Map(entries) => entries,
            _ => vec![],
        };
        Prefs { kind, values, categories: settings.categories().to_vec(), read: vec![] }
    }
}

impl convertro::rules::Consent for Prefs {
    fn preferences(&mut self) -> convertro::rules::Preferences {
        self.kind
    }

    fn granted(&mut self, index: usize) -> Value {
        let category = self.categories[index].clone();
        self.read.push(category.clone());
        self.values.iter().find(|(k, _)| *k == category).map_or(Value::Undefined, |(_, v)| v.clone())
    }
}
