//! `localStorage`, through web-sys's `Storage`, under one account's prefix
//! ([`outbox::prefix`]). What is stored, when, and who may take it is
//! decided by [`rules::outbox`](crate::rules::outbox); this only lists,
//! reads, writes and removes, and a failure (no storage, a throwing getter,
//! a full quota) reads as nothing there or a write refused.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;
use web_sys::Storage;

use super::bridge;
use crate::rules::outbox;

/// One account's keys in `localStorage`.
pub struct Stash {
    storage: Storage,
    prefix: String,
}

impl Stash {
    /// `localStorage`, when the page may use it (not in a sandboxed frame,
    /// with storage allowed).
    pub fn open(account: &str) -> Option<Stash> {
        let storage = bridge::global().local_storage().ok()??;
        Some(Stash { storage, prefix: outbox::prefix(account) })
    }

    fn full(&self, key: &str) -> String {
        crate::text::concat(&[&self.prefix, key])
    }

    /// The account's keys, below the prefix; `None` when they cannot be listed.
    pub fn keys(&self) -> Option<Vec<String>> {
        let mut keys = Vec::new();
        for index in 0..self.storage.length().ok()? {
            if let Some(key) = self.storage.key(index).ok()?.and_then(|key| key.strip_prefix(self.prefix.as_str()).map(String::from)) {
                keys.push(key);
            }
        }
        Some(keys)
    }

    /// What is stored under `key`, parsed (undefined when nothing, not JSON,
    /// or too long to be this destination's).
    pub fn read(&self, key: &str) -> JsValue {
        match self.storage.get_item(&self.full(key)) {
            Ok(Some(text)) if outbox::readable(text.len()) => bridge::parse(&text),
            _ => JsValue::UNDEFINED,
        }
    }

    /// Whether anything is stored under `key`.
    pub fn has(&self, key: &str) -> bool {
        matches!(self.storage.get_item(&self.full(key)), Ok(Some(_)))
    }

    /// Stores `value` as `JSON.stringify(value)`; false when that failed.
    pub fn write(&self, key: &str, value: &JsValue) -> bool {
        bridge::stringify(value).is_some_and(|text| self.storage.set_item(&self.full(key), &text).is_ok())
    }

    /// Removes `key`.
    pub fn remove(&self, key: &str) {
        drop(self.storage.remove_item(&self.full(key)));
    }
}
