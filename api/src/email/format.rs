//! Dates and money in a notification's language: Finnish time (Europe/Helsinki: UTC+2, UTC+3
//! from the last Sunday of March to the last Sunday of October at 01:00 UTC), Finnish and
//! Swedish with a decimal comma and spaces between thousands, English with a decimal point and
//! commas.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Utc, Weekday};
use entity::Language;
use rust_decimal::Decimal;

/// The last Sunday of `month` in `year`, at 01:00 UTC (when EU summer time starts or ends).
fn last_sunday_0100(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut d = next.pred_opt()?;
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt()?;
    }
    Some(d.and_hms_opt(1, 0, 0)?.and_utc())
}

/// `t` as a wall-clock time in Finland.
pub fn helsinki(t: DateTime<Utc>) -> NaiveDateTime {
    let summer = match (
        last_sunday_0100(t.year(), 3),
        last_sunday_0100(t.year(), 10),
    ) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    let offset = TimeDelta::hours(if summer { 3 } else { 2 });
    t.naive_utc()
        .checked_add_signed(offset)
        .unwrap_or(t.naive_utc())
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A day: 8.12.2026 (Finnish, Swedish), 8 December 2026 (English).
pub fn date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::Fi | Language::Sv => format!("{}.{}.{}", d.day(), d.month(), d.year()),
        Language::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS_EN
                .get(d.month0() as usize)
                .copied()
                .unwrap_or_default(),
            d.year()
        ),
    }
}

/// A moment in Finnish time: 8.12.2026 klo 14.00 (Suomen aikaa), 8.12.2026 kl. 14.00 (finsk
/// tid), 8 December 2026 at 14:00 (Finnish time).
pub fn date_time(t: DateTime<Utc>, lang: Language) -> String {
    use chrono::Timelike;
    let local = helsinki(t);
    let day = date(local.date(), lang);
    let (h, m) = (local.hour(), local.minute());
    match lang {
        Language::Fi => format!("{day} klo {h}.{m:02} (Suomen aikaa)"),
        Language::Sv => format!("{day} kl. {h}.{m:02} (finsk tid)"),
        Language::En => format!("{day} at {h:02}:{m:02} (Finnish time)"),
    }
}

/// Groups the digits of a whole number with `sep` every three digits.
fn grouped(digits: &str, sep: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A number as the language writes it, its decimals as given: 1 234,5 (fi, sv), 1,234.5 (en).
pub fn number(d: Decimal, lang: Language) -> String {
    let text = d.abs().to_string();
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if d.is_sign_negative() && !d.is_zero() {
        "-"
    } else {
        ""
    };
    let (sep, point) = match lang {
        Language::Fi | Language::Sv => ("\u{a0}", ","),
        Language::En => (",", "."),
    };
    let mut out = format!("{sign}{}", grouped(whole, sep));
    if !frac.is_empty() {
        out.push_str(point);
        out.push_str(frac);
    }
    out
}

/// An amount of euros to the cent: 1 234,50 € (fi, sv), EUR 1,234.50 (en).
pub fn money(d: Decimal, lang: Language) -> String {
    let shown = number(crate::domain::money::display(d), lang);
    match lang {
        Language::Fi | Language::Sv => format!("{shown}\u{a0}€"),
        Language::En => format!("EUR {shown}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal::dec;

    #[test]
    fn finnish_time_in_winter_and_summer() {
        let winter = Utc.with_ymd_and_hms(2026, 12, 8, 12, 0, 0).unwrap();
        assert_eq!(
            date_time(winter, Language::Fi),
            "8.12.2026 klo 14.00 (Suomen aikaa)"
        );
        assert_eq!(
            date_time(winter, Language::Sv),
            "8.12.2026 kl. 14.00 (finsk tid)"
        );
        assert_eq!(
            date_time(winter, Language::En),
            "8 December 2026 at 14:00 (Finnish time)"
        );
        let summer = Utc.with_ymd_and_hms(2027, 6, 1, 9, 5, 0).unwrap();
        assert_eq!(
            date_time(summer, Language::Fi),
            "1.6.2027 klo 12.05 (Suomen aikaa)"
        );
        // Summer time starts on the last Sunday of March 2027 (the 28th) at 01:00 UTC.
        let before = Utc.with_ymd_and_hms(2027, 3, 28, 0, 59, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap();
        assert_eq!(helsinki(before).to_string(), "2027-03-28 02:59:00");
        assert_eq!(helsinki(after).to_string(), "2027-03-28 04:00:00");
        // And ends on the last Sunday of October (the 31st) at 01:00 UTC.
        let end = Utc.with_ymd_and_hms(2027, 10, 31, 1, 0, 0).unwrap();
        assert_eq!(helsinki(end).to_string(), "2027-10-31 03:00:00");
    }

    #[test]
    fn money_in_each_language() {
        assert_eq!(
            money(dec!(1234567.5), Language::Fi),
            "1\u{a0}234\u{a0}567,50\u{a0}€"
        );
        assert_eq!(
            money(dec!(1234567.5), Language::Sv),
            "1\u{a0}234\u{a0}567,50\u{a0}€"
        );
        assert_eq!(money(dec!(1234567.5), Language::En), "EUR 1,234,567.50");
        assert_eq!(money(dec!(0.005), Language::En), "EUR 0.01");
        assert_eq!(money(dec!(-999.994), Language::Fi), "-999,99\u{a0}€");
        assert_eq!(number(dec!(100), Language::En), "100");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), Language::En),
            "1 January 2027"
        );
    }
}
