//! Kubernetes resource quantities (`100m`, `1.5`, `128Mi`, `1G`, `2e3`) as exact milli-units, so
//! that requests, limits and quotas add up without floating-point error.

/// A quantity in thousandths of its unit: `100m` CPU is 100, `1Ki` of memory is 1,024,000.
pub type Milli = i128;

/// The factor of a suffix as numerator / denominator.
fn suffix_factor(suffix: &str) -> Option<(i128, i128)> {
    const K: i128 = 1000;
    const KI: i128 = 1024;
    Some(match suffix {
        "" => (1, 1),
        "n" => (1, K * K * K),
        "u" => (1, K * K),
        "m" => (1, K),
        "k" => (K, 1),
        "M" => (K.pow(2), 1),
        "G" => (K.pow(3), 1),
        "T" => (K.pow(4), 1),
        "P" => (K.pow(5), 1),
        "E" => (K.pow(6), 1),
        "Ki" => (KI, 1),
        "Mi" => (KI.pow(2), 1),
        "Gi" => (KI.pow(3), 1),
        "Ti" => (KI.pow(4), 1),
        "Pi" => (KI.pow(5), 1),
        "Ei" => (KI.pow(6), 1),
        _ => return None,
    })
}

/// A decimal exponent (`e3`, `E-2`) as numerator / denominator.
fn exponent_factor(exponent: &str) -> Option<(i128, i128)> {
    let power: i32 = exponent.parse().ok()?;
    let scale = 10i128.checked_pow(power.unsigned_abs())?;
    Some(if power >= 0 { (scale, 1) } else { (1, scale) })
}

/// Parses a quantity into milli-units, rounded up as Kubernetes rounds below its precision.
/// `None` for anything Kubernetes would refuse (and for negative amounts, which no request is).
pub fn parse(text: &str) -> Option<Milli> {
    let text = text.trim();
    let text = text.strip_prefix('+').unwrap_or(text);
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    // `E` alone is exa and `Ei` exbi; `E3`/`e-2` are exponents.
    let (numerator, denominator) = match suffix_factor(unit) {
        Some(factor) => factor,
        None => exponent_factor(unit.strip_prefix(['e', 'E'])?)?,
    };
    // No digits (`.`), or a second point (`1.2.3`), does not parse.
    let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    let scale = 10i128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    let top = digits.checked_mul(numerator)?.checked_mul(1000)?;
    let bottom = scale.checked_mul(denominator)?;
    Some((top + bottom - 1) / bottom)
}

/// The amount of a JSON value: a quantity string, or a bare number as YAML writes `cpu: 1`.
pub fn of_json(value: &serde_json::Value) -> Option<Milli> {
    match value {
        serde_json::Value::String(s) => parse(s),
        serde_json::Value::Number(n) => parse(&n.to_string()),
        _ => None,
    }
}

/// CPU as Kubernetes prints it: whole cores, else millicores.
pub fn cpu(milli: Milli) -> String {
    if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

/// Memory in the largest binary unit that divides it, else bytes.
pub fn memory(milli: Milli) -> String {
    let bytes = milli / 1000;
    for (suffix, size) in [("Gi", 1i128 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if bytes != 0 && bytes % size == 0 {
            return format!("{}{suffix}", bytes / size);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_and_binary_suffixes() {
        assert_eq!(parse("100m"), Some(100));
        assert_eq!(parse("1"), Some(1000));
        assert_eq!(parse("2"), Some(2000));
        assert_eq!(parse("0.5"), Some(500));
        assert_eq!(parse("1.5"), Some(1500));
        assert_eq!(parse(".5"), Some(500));
        assert_eq!(parse("5."), Some(5000));
        assert_eq!(parse("1k"), Some(1_000_000));
        assert_eq!(parse("1M"), Some(1_000_000_000));
        assert_eq!(parse("1G"), Some(1_000_000_000_000));
        assert_eq!(parse("1Ki"), Some(1_024_000));
        assert_eq!(parse("128Mi"), Some(128 * 1024 * 1024 * 1000));
        assert_eq!(parse("1Gi"), Some((1 << 30) * 1000));
        assert_eq!(parse("1.5Gi"), Some(3 * (1 << 29) * 1000));
        assert_eq!(parse("1Ti"), Some((1i128 << 40) * 1000));
        assert_eq!(parse("1Ei"), Some((1i128 << 60) * 1000));
        assert_eq!(parse("1E"), Some(10i128.pow(18) * 1000));
        assert_eq!(parse("1T"), Some(10i128.pow(12) * 1000));
        assert_eq!(parse("1P"), Some(10i128.pow(15) * 1000));
        assert_eq!(parse("1Pi"), Some((1i128 << 50) * 1000));
        assert_eq!(parse("2u"), Some(1));
        // Nano: a million of them is one milli-unit; below that, rounded up.
        assert_eq!(parse("1000000n"), Some(1));
        assert_eq!(parse("2500000n"), Some(3));
    }

    #[test]
    fn exponents_signs_and_rounding_up() {
        assert_eq!(parse("1e3"), Some(1_000_000));
        assert_eq!(parse("1E3"), Some(1_000_000));
        assert_eq!(parse("5e-1"), Some(500));
        assert_eq!(parse("+2"), Some(2000));
        assert_eq!(parse(" 250m "), Some(250));
        // below a millicore rounds up, as Kubernetes does
        assert_eq!(parse("0.0001"), Some(1));
        assert_eq!(parse("1500u"), Some(2));
        assert_eq!(parse("1n"), Some(1));
        assert_eq!(parse("0"), Some(0));
        assert_eq!(parse("0m"), Some(0));
    }

    #[test]
    fn refuses_what_kubernetes_refuses() {
        for bad in [
            "",
            "m",
            "abc",
            "1x",
            "1mi",
            "1KI",
            "-1",
            "1..2",
            "1.2.3",
            ".",
            "1e",
            "1 Gi",
            "1Gii",
            "1e99999",
            "99999999999999999999999999999999999999999Ei",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn json_strings_and_numbers() {
        assert_eq!(of_json(&serde_json::json!("200m")), Some(200));
        assert_eq!(of_json(&serde_json::json!(1)), Some(1000));
        assert_eq!(of_json(&serde_json::json!(0.25)), Some(250));
        assert_eq!(of_json(&serde_json::json!(null)), None);
        assert_eq!(of_json(&serde_json::json!(true)), None);
    }

    #[test]
    fn printed_as_kubernetes_prints_them() {
        assert_eq!(cpu(1200), "1200m");
        assert_eq!(cpu(2000), "2");
        assert_eq!(cpu(0), "0");
        assert_eq!(memory(parse("128Mi").unwrap_or(0)), "128Mi");
        assert_eq!(memory(parse("2Gi").unwrap_or(0)), "2Gi");
        assert_eq!(memory(parse("1Ki").unwrap_or(0)), "1Ki");
        assert_eq!(memory(parse("1000").unwrap_or(0)), "1000");
        assert_eq!(memory(0), "0");
    }
}
