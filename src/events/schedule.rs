//! EventBridge schedule expressions: `rate(value unit)` and six-field `cron(...)`, always in UTC.
//!
//! Source: Amazon EventBridge user guide, "Creating an Amazon EventBridge rule that runs on a schedule"
//! (schedule expressions): `rate(value unit)` takes a positive whole number and `minute`/`minutes`, `hour`/`hours`,
//! `day`/`days`, the singular for the value 1 and the plural otherwise; `cron(Minutes Hours Day-of-month Month
//! Day-of-week Year)` with minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or
//! SUN-SAT (1 is Sunday), year 1970-2199; wildcards `,` `-` `*` `/` everywhere, `?` in day-of-month or
//! day-of-week (one of the two must be `?`), `L` in day-of-month or day-of-week, `W` in day-of-month and `#` in
//! day-of-week (also lambda-facts §5.3). A rate schedule "starts when you create the rule"; the exact first run is
//! not documented, so here it runs one period after the rule's creation, then every period (this reading is ours).
//! An expression AWS rejects gives PutRule's `ValidationException` text `Parameter ScheduleExpression is not
//! valid.`.

use time::{Date, OffsetDateTime, Weekday};

/// PutRule's message for an expression it rejects (EventBridge API reference, PutRule).
pub const INVALID: &str = "Parameter ScheduleExpression is not valid.";

/// How far ahead (days) the next cron time is looked for before the schedule is deemed never to fire.
const SEARCH_DAYS: i64 = 366 * 8;

/// A parsed schedule expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// Every `period_ms` milliseconds, counted from the rule's creation.
    Rate { period_ms: u64 },
    /// A cron schedule.
    Cron(Box<Cron>),
}

/// The six cron fields as sets of allowed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    day_of_month: DayOfMonth,
    months: Vec<bool>,
    day_of_week: DayOfWeek,
    years: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DayOfMonth {
    Any,
    Days(Vec<bool>),
    Last,
    /// `nW`: the weekday nearest day n, within the month.
    NearestWeekday(u8),
    /// `LW`: the last weekday of the month.
    LastWeekday,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DayOfWeek {
    Any,
    /// Allowed days, index 1 (Sunday) to 7 (Saturday).
    Days(Vec<bool>),
    /// `nL`: the last day n of the month (`L` alone is the last Saturday).
    Last(u8),
    /// `d#n`: the n-th day d of the month.
    Nth(u8, u8),
}

/// Parses `expression`. Errors: [`INVALID`].
pub fn parse(expression: &str) -> Result<Schedule, String> {
    let invalid = || INVALID.to_string();
    if let Some(body) = expression.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        return parse_rate(body).ok_or_else(invalid);
    }
    if let Some(body) = expression.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        return parse_cron(body)
            .map(|c| Schedule::Cron(Box::new(c)))
            .ok_or_else(invalid);
    }
    Err(invalid())
}

fn parse_rate(body: &str) -> Option<Schedule> {
    let mut parts = body.split(' ');
    let (value, unit) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u64 = value.parse().ok()?;
    let unit_ms = match (unit, value) {
        ("minute", 1) | ("hour", 1) | ("day", 1) => unit_millis(unit),
        ("minutes", v) | ("hours", v) | ("days", v) if v > 1 => unit_millis(unit.trim_end_matches('s')),
        _ => return None,
    };
    Some(Schedule::Rate {
        period_ms: value.checked_mul(unit_ms)?,
    })
}

fn unit_millis(unit: &str) -> u64 {
    match unit {
        "minute" => 60_000,
        "hour" => 3_600_000,
        _ => 86_400_000,
    }
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

fn parse_cron(body: &str) -> Option<Cron> {
    let fields: Vec<&str> = body.split(' ').collect();
    let [minutes, hours, dom, month, dow, year] = fields.as_slice() else {
        return None;
    };
    let day_of_month = parse_dom(dom)?;
    let day_of_week = parse_dow(dow)?;
    // Exactly one of the two day fields is `?`.
    if (day_of_month == DayOfMonth::Any) == (day_of_week == DayOfWeek::Any) {
        return None;
    }
    Some(Cron {
        minutes: parse_set(minutes, 0, 59, &[])?,
        hours: parse_set(hours, 0, 23, &[])?,
        day_of_month,
        months: parse_set(month, 1, 12, &MONTHS)?,
        day_of_week,
        years: parse_set(year, 1970, 2199, &[])?,
    })
}

/// A number, or a name (`names[i]` is `min + i`).
fn value(text: &str, min: u32, max: u32, names: &[&str]) -> Option<u32> {
    let n = match names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        Some(i) => min + i as u32,
        None if !text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()) => text.parse().ok()?,
        None => return None,
    };
    (min..=max).contains(&n).then_some(n)
}

/// A list of `*`, `n`, `a-b`, each optionally `/step`; the set is indexed by value - `min`.
fn parse_set(field: &str, min: u32, max: u32, names: &[&str]) -> Option<Vec<bool>> {
    let mut set = vec![false; (max - min + 1) as usize];
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, value(s, 1, max.max(1), &[])?),
            None => (item, 1),
        };
        let (low, high) = match range {
            "*" => (min, max),
            _ => match range.split_once('-') {
                Some((a, b)) => (value(a, min, max, names)?, value(b, min, max, names)?),
                // `n/step` runs from n to the end of the range.
                None if item.contains('/') => (value(range, min, max, names)?, max),
                None => {
                    let v = value(range, min, max, names)?;
                    (v, v)
                }
            },
        };
        if low > high {
            // Not documented whether AWS wraps ranges such as FRI-MON; they are refused here.
            return None;
        }
        let mut v = low;
        while v <= high {
            *set.get_mut((v - min) as usize)? = true;
            v += step;
        }
    }
    Some(set)
}

fn parse_dom(field: &str) -> Option<DayOfMonth> {
    Some(match field {
        "?" => DayOfMonth::Any,
        "L" => DayOfMonth::Last,
        "LW" => DayOfMonth::LastWeekday,
        _ => match field.strip_suffix('W') {
            Some(day) => DayOfMonth::NearestWeekday(value(day, 1, 31, &[])? as u8),
            None => DayOfMonth::Days(parse_set(field, 1, 31, &[])?),
        },
    })
}

fn parse_dow(field: &str) -> Option<DayOfWeek> {
    Some(match field {
        "?" => DayOfWeek::Any,
        "L" => DayOfWeek::Last(7),
        _ => {
            if let Some((day, nth)) = field.split_once('#') {
                DayOfWeek::Nth(value(day, 1, 7, &DAYS)? as u8, value(nth, 1, 5, &[])? as u8)
            } else if let Some(day) = field.strip_suffix('L') {
                DayOfWeek::Last(value(day, 1, 7, &DAYS)? as u8)
            } else {
                DayOfWeek::Days(parse_set(field, 1, 7, &DAYS)?)
            }
        }
    })
}

impl Schedule {
    /// The first time (virtual ms since the epoch, UTC) strictly after `after_ms` at which the schedule runs;
    /// `created_ms` is the rule's creation (rate schedules count from it). `None` when it never runs again.
    pub fn next_after(&self, created_ms: u64, after_ms: u64) -> Option<u64> {
        match self {
            Schedule::Rate { period_ms } => {
                let period = (*period_ms).max(1);
                let elapsed = after_ms.saturating_sub(created_ms);
                created_ms.checked_add((elapsed / period + 1).checked_mul(period)?)
            }
            Schedule::Cron(cron) => cron.next_after(after_ms),
        }
    }
}

impl Cron {
    fn next_after(&self, after_ms: u64) -> Option<u64> {
        // Cron times are whole minutes: the first candidate is the next whole minute after `after_ms`.
        let start_minute = after_ms / 60_000 + 1;
        let start_day = (start_minute / 1440) as i64;
        for day in start_day..start_day + SEARCH_DAYS {
            let date = Date::from_julian_day(i32::try_from(day + 2_440_588).ok()?).ok()?;
            if !self.day_matches(date) {
                continue;
            }
            let first = if day == start_day { start_minute % 1440 } else { 0 };
            for minute_of_day in first..1440 {
                let (h, m) = ((minute_of_day / 60) as usize, (minute_of_day % 60) as usize);
                if self.hours.get(h) == Some(&true) && self.minutes.get(m) == Some(&true) {
                    return Some((day as u64 * 1440 + minute_of_day) * 60_000);
                }
            }
        }
        None
    }

    fn day_matches(&self, date: Date) -> bool {
        let year_ok = usize::try_from(date.year() - 1970)
            .ok()
            .and_then(|i| self.years.get(i))
            .copied()
            .unwrap_or(false);
        let month_ok = self
            .months
            .get(u8::from(date.month()) as usize - 1)
            .copied()
            .unwrap_or(false);
        year_ok && month_ok && self.dom_matches(date) && self.dow_matches(date)
    }

    fn dom_matches(&self, date: Date) -> bool {
        let last = last_day(date);
        let day = date.day();
        match &self.day_of_month {
            DayOfMonth::Any => true,
            DayOfMonth::Days(set) => set.get(day as usize - 1).copied().unwrap_or(false),
            DayOfMonth::Last => day == last,
            DayOfMonth::LastWeekday => day == nearest_weekday(date, last),
            DayOfMonth::NearestWeekday(n) => *n <= last && day == nearest_weekday(date, *n),
        }
    }

    fn dow_matches(&self, date: Date) -> bool {
        let weekday = date.weekday().number_from_sunday();
        match &self.day_of_week {
            DayOfWeek::Any => true,
            DayOfWeek::Days(set) => set.get(weekday as usize - 1).copied().unwrap_or(false),
            DayOfWeek::Last(d) => weekday == *d && date.day() + 7 > last_day(date),
            DayOfWeek::Nth(d, n) => weekday == *d && (date.day() - 1) / 7 + 1 == *n,
        }
    }
}

/// The month's last day (28-31).
fn last_day(date: Date) -> u8 {
    time::util::days_in_month(date.month(), date.year())
}

/// The weekday (Mon-Fri) nearest day `n` of `date`'s month, never leaving the month.
fn nearest_weekday(date: Date, n: u8) -> u8 {
    let Ok(target) = Date::from_calendar_date(date.year(), date.month(), n) else {
        return 0;
    };
    let last = last_day(date);
    match target.weekday() {
        Weekday::Saturday if n == 1 => 3,
        Weekday::Saturday => n - 1,
        Weekday::Sunday if n == last => n - 2,
        Weekday::Sunday => n + 1,
        _ => n,
    }
}

/// `ms` (virtual ms since the epoch) as ISO 8601 UTC without milliseconds, e.g. `2026-01-01T00:05:00Z` (the
/// scheduled event's `time`).
pub fn iso_seconds(ms: u64) -> String {
    let Ok(t) = OffsetDateTime::from_unix_timestamp((ms / 1000) as i64) else {
        return String::new();
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
