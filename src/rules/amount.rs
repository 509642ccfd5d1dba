//! Amounts: `total`, else `revenue`, when usable. Usable is a finite number
//! (0 included) or a string that reads as a finite number once `$` signs are
//! removed, read the way JavaScript's `parseFloat` reads a leading number
//! (`"$50.99"` → 50.99, `"12abc"` → 12, `"abc"` → none, `"1e400"` → none).

use alloc::string::String;

use super::engine::Engine;
use super::Value;

/// The amount a value gives, if it is usable; strings are read with the
/// engine's `parseFloat` (see [`Engine`]).
pub fn amount_of(value: &Value, engine: &impl Engine) -> Option<f64> {
    let number = match value {
        Value::Number(n) => *n,
        Value::String(s) => engine.parse_float(&without_dollars(s)),
        _ => return None,
    };
    number.is_finite().then_some(number)
}

/// `s` with every `$` removed.
fn without_dollars(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.bytes().position(|b| b == b'$') {
        out.push_str(rest.get(..at).unwrap_or(""));
        rest = rest.get(at + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// JavaScript's `parseFloat`, in Rust: the number at the start of `s` after
/// JavaScript whitespace, `NaN` when there is none.
pub fn parse_float(s: &str) -> f64 {
    let rest = s.trim_start_matches(is_js_whitespace);
    let unsigned = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    if unsigned.starts_with("Infinity") {
        return if rest.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
    }
    numeric_prefix(rest).and_then(|literal| literal.parse().ok()).unwrap_or(f64::NAN)
}

/// The decimal literal at the start of `s` (no leading whitespace), as
/// `parseFloat` reads it.
fn numeric_prefix(s: &str) -> Option<String> {
    let mut chars = s.chars().peekable();
    let mut out = String::new();
    take_sign(&mut chars, &mut out);
    let mut digits = take_digits(&mut chars, &mut out);
    if chars.next_if_eq(&'.').is_some() {
        out.push('.');
        digits += take_digits(&mut chars, &mut out);
    }
    if digits == 0 {
        // Nothing numeric, or `Infinity`: neither is a finite amount.
        return None;
    }
    if chars.next_if(|&c| c == 'e' || c == 'E').is_some() {
        let mut exponent = String::from("e");
        take_sign(&mut chars, &mut exponent);
        if take_digits(&mut chars, &mut exponent) > 0 {
            out.push_str(&exponent);
        }
    }
    Some(out)
}

/// Moves a leading `+` or `-` from `chars` to `out`.
fn take_sign(chars: &mut core::iter::Peekable<impl Iterator<Item = char>>, out: &mut String) {
    if let Some(sign) = chars.next_if(|&c| c == '+' || c == '-') {
        out.push(sign);
    }
}

/// Moves the leading ASCII digits from `chars` to `out`; returns how many.
fn take_digits(chars: &mut core::iter::Peekable<impl Iterator<Item = char>>, out: &mut String) -> usize {
    let mut count = 0;
    while let Some(digit) = chars.next_if(char::is_ascii_digit) {
        out.push(digit);
        count += 1;
    }
    count
}

/// JavaScript's StrWhiteSpaceChar: WhiteSpace and LineTerminator.
pub(crate) fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}'
            | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(value: Value) -> Option<f64> {
        amount_of(&value, &crate::rules::Native)
    }

    fn text(s: &str) -> Value {
        Value::String(s.into())
    }

    #[test]
    fn numbers_are_used_when_finite() {
        assert_eq!(amount(Value::Number(50.99)), Some(50.99));
        assert_eq!(amount(Value::Number(0.0)), Some(0.0));
        assert_eq!(amount(Value::Number(-12.5)), Some(-12.5));
        assert_eq!(amount(Value::Number(f64::NAN)), None);
        assert_eq!(amount(Value::Number(f64::INFINITY)), None);
        assert_eq!(amount(Value::Number(f64::NEG_INFINITY)), None);
    }

    #[test]
    fn strings_read_like_parse_float_after_removing_dollars() {
        assert_eq!(amount(text("$50.99")), Some(50.99));
        assert_eq!(amount(text("50.99")), Some(50.99));
        assert_eq!(amount(text("  $1$2.5 USD")), Some(12.5));
        assert_eq!(amount(text("-$3")), Some(-3.0));
        assert_eq!(amount(text("+.5")), Some(0.5));
        assert_eq!(amount(text("7.")), Some(7.0));
        assert_eq!(amount(text("1e3")), Some(1000.0));
        assert_eq!(amount(text("1e")), Some(1.0));
        assert_eq!(amount(text("1e+")), Some(1.0));
        assert_eq!(amount(text("2E-2x")), Some(0.02));
        assert_eq!(amount(text("1,000.00")), Some(1.0));
        assert_eq!(amount(text("0")), Some(0.0));
        assert_eq!(amount(text("\u{a0}\u{feff}\n4")), Some(4.0));
    }

    #[test]
    fn strings_without_a_finite_number_are_not_amounts() {
        for s in ["", "$", "abc", ".", "-", "+-1", "e5", "Infinity", "-Infinity", "$Infinity", "1e400", "NaN", "\u{85}5"] {
            assert_eq!(amount(text(s)), None, "{s:?}");
        }
    }

    #[test]
    fn other_types_are_not_amounts() {
        for value in [Value::Undefined, Value::Null, Value::Bool(true), Value::List(vec![]), Value::Other("a bigint"), Value::Unreadable] {
            assert_eq!(amount(value.clone()), None, "{value:?}");
        }
    }

    #[test]
    fn parse_float_reads_like_javascript() {
        assert_eq!(parse_float("-1.5e3px"), -1500.0);
        assert_eq!(parse_float("12.34.56"), 12.34);
        assert_eq!(parse_float(" .5e-1"), 0.05);
        assert_eq!(parse_float("5e+x"), 5.0);
        assert_eq!(parse_float("-Infinityx"), f64::NEG_INFINITY);
        assert_eq!(parse_float("+Infinity"), f64::INFINITY);
        assert_eq!(parse_float("1e400"), f64::INFINITY);
        for s in ["", "$5", "abc", ".", "-", "+-1", "e5", "Inf", "NaN", "\u{85}5"] {
            assert!(parse_float(s).is_nan(), "{s:?}");
        }
    }
}
