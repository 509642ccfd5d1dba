//! Property lookups, as Segment's facade makes them (through `obj-case`):
//! keys compare with everything but ASCII letters, digits and `.` removed,
//! lower-cased, so `orderId`, `order_id`, `OrderID` and `order-id` name one
//! property, and `order.id` (a path to `obj-case`) names none. The first
//! matching key in the object's key order wins.

use alloc::string::String;

/// A property the rules read from an event's `properties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `id`.
    Id,
    /// `order_id` / `orderId`.
    OrderId,
    /// `total`.
    Total,
    /// `revenue`.
    Revenue,
    /// `repeat`.
    Repeat,
}

/// The longest normalised field name (`orderid`, `revenue`).
const LONGEST: usize = 7;

impl Field {
    /// Every field, in declaration order.
    pub const ALL: [Field; 5] = [Field::Id, Field::OrderId, Field::Total, Field::Revenue, Field::Repeat];

    /// The field a key names, if any. Reads the key once and allocates nothing.
    pub fn of_key(key: &str) -> Option<Field> {
        /// Each field's name as keys are compared, in declaration order.
        const NAMES: [&[u8]; 5] = [b"id", b"orderid", b"total", b"revenue", b"repeat"];
        let mut buf = [0u8; LONGEST];
        let mut len = 0;
        for b in normalized(key) {
            *buf.get_mut(len)? = b;
            len += 1;
        }
        let found = buf.get(..len)?;
        NAMES.iter().position(|name| *name == found).and_then(|at| Field::ALL.get(at).copied())
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// The bytes of a key as the lookups compare it: ASCII letters, digits and
/// `.` only, lower-cased.
fn normalized(key: &str) -> impl Iterator<Item = u8> + '_ {
    key.bytes().filter(|b| b.is_ascii_alphanumeric() || *b == b'.').map(|b| b.to_ascii_lowercase())
}

/// A key as the lookups compare it (see [`Field::of_key`]).
pub fn normalize_key(key: &str) -> String {
    normalized(key).map(char::from).collect()
}

/// Where each [`Field`] first appears among an object's keys: one pass over
/// the keys serves every lookup.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fields {
    first: [Option<usize>; 5],
}

impl Fields {
    /// Records key number `index`; only the first key naming a field counts.
    pub fn offer(&mut self, index: usize, key: &str) {
        if let Some(field) = Field::of_key(key) {
            if let Some(slot @ None) = self.first.get_mut(field.slot()) {
                *slot = Some(index);
            }
        }
    }

    /// The index of the first key naming `field`.
    pub fn get(&self, field: Field) -> Option<usize> {
        self.first.get(field.slot()).copied().flatten()
    }

    /// Finds the fields among `keys`, in order.
    pub fn scan<'a>(keys: impl IntoIterator<Item = &'a str>) -> Fields {
        let mut fields = Fields::default();
        for (index, key) in keys.into_iter().enumerate() {
            fields.offer(index, key);
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_property_match() {
        for key in ["orderId", "order_id", "OrderID", "order-id", "ORDER ID", "  order__id  ", "order/id"] {
            assert_eq!(Field::of_key(key), Some(Field::OrderId), "{key}");
        }
        assert_eq!(Field::of_key("ID"), Some(Field::Id));
        assert_eq!(Field::of_key("Total"), Some(Field::Total));
        assert_eq!(Field::of_key("re-venue"), Some(Field::Revenue));
        assert_eq!(Field::of_key("REPEAT"), Some(Field::Repeat));
    }

    #[test]
    fn other_keys_do_not_match() {
        for key in ["", "i", "ids", "order", "orderids", "subtotal", "total_price", "identity", "ïd", "revenues", "order.id", "id.", ".total"] {
            assert_eq!(Field::of_key(key), None, "{key}");
        }
    }

    #[test]
    fn non_ascii_characters_are_removed() {
        assert_eq!(Field::of_key("ïid"), Some(Field::Id));
        assert_eq!(normalize_key("Order—ID ✓"), "orderid");
    }

    #[test]
    fn long_punctuation_around_a_name_still_matches() {
        let key = format!("{}id{}", "_".repeat(10_000), "-".repeat(10_000));
        assert_eq!(Field::of_key(&key), Some(Field::Id));
    }

    #[test]
    fn first_matching_key_wins() {
        let fields = Fields::scan(["name", "order_id", "total", "orderId", "Total", "id"]);
        assert_eq!(fields.get(Field::OrderId), Some(1));
        assert_eq!(fields.get(Field::Total), Some(2));
        assert_eq!(fields.get(Field::Id), Some(5));
        assert_eq!(fields.get(Field::Revenue), None);
        assert_eq!(fields.get(Field::Repeat), None);
    }
}
