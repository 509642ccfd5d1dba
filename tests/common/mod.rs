//! Test doubles for the pure core: properties as a list of key/value pairs.
#![allow(dead_code)]

use convertro::rules::{Fields, Properties, Settings, Skip, Value};

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

impl Properties for Props {
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

    fn granted(&mut self, category: &str) -> Value {
        let category = category.to_string();
        self.read.push(category.clone());
        self.values.iter().find(|(k, _)| *k == category).map_or(Value::Undefined, |(_, v)| v.clone())
    }
}

/// One event for the rules: a track name or an identify userId, its
/// properties and its consent preferences.
pub struct Call<'a, C> {
    pub name: &'a str,
    pub user_id: Value,
    pub props: &'a mut Props,
    pub consent: &'a mut C,
}

impl<C: convertro::rules::Consent> Properties for Call<'_, C> {
    fn keys(&mut self, fields: &mut Fields) -> Result<(), Skip> {
        self.props.keys(fields)
    }

    fn value(&mut self, index: usize) -> Value {
        self.props.value(index)
    }
}

impl<C: convertro::rules::Consent> convertro::rules::Consent for Call<'_, C> {
    fn preferences(&mut self) -> convertro::rules::Preferences {
        self.consent.preferences()
    }

    fn granted(&mut self, category: &str) -> Value {
        self.consent.granted(category)
    }
}

impl<C: convertro::rules::Consent> convertro::rules::Event for Call<'_, C> {
    fn name(&mut self) -> Result<String, Skip> {
        Ok(self.name.into())
    }

    fn user_id(&mut self) -> Result<Value, Skip> {
        Ok(self.user_id.clone())
    }
}

/// `rules::track` on an event named `name` with these properties and preferences.
pub fn track<C: convertro::rules::Consent>(settings: &Settings, name: &str, props: &mut Props, consent: &mut C) -> convertro::rules::Decision {
    convertro::rules::track(settings, &mut Call { name, user_id: Value::Undefined, props, consent }, &convertro::rules::Native)
}

/// `rules::identify` on an identify with this userId and preferences: its
/// one command, or why there is none.
pub fn identify<C: convertro::rules::Consent>(settings: &Settings, user_id: &Value, consent: &mut C) -> Result<convertro::rules::Command, Skip> {
    let decision = convertro::rules::identify(settings, &mut Call { name: "", user_id: user_id.clone(), props: &mut Props::new(&[]), consent });
    decision.commands.into_iter().next().ok_or(decision.skipped.unwrap_or(Skip::NoUserId))
}
