//! `time_point_sec`: whole seconds since the Unix epoch, UTC (u32 in binary, ISO text in JSON).
//!
//! The calendar conversion is written here (days-from-civil) so the deterministic core needs no
//! clock and no time crate: time only ever arrives as data.

use crate::encoding::{DecodeError, Pack, Reader, Unpack};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimePointSec(pub u32);

impl TimePointSec {
    pub const MAX: TimePointSec = TimePointSec(u32::MAX);

    pub const fn seconds(self) -> u32 {
        self.0
    }

    /// `self + secs`, saturating at the end of time.
    pub fn plus(self, secs: u32) -> TimePointSec {
        TimePointSec(self.0.saturating_add(secs))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

impl fmt::Display for TimePointSec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = i64::from(self.0);
        let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
        let rem = secs.rem_euclid(86_400);
        write!(f, "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem / 60 % 60, rem % 60)
    }
}
impl fmt::Debug for TimePointSec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::str::FromStr for TimePointSec {
    type Err = String;

    /// `YYYY-MM-DDTHH:MM:SS`, optionally followed by a fraction and/or `Z`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("'{s}' is not a time of the form YYYY-MM-DDTHH:MM:SS");
        let core = s.strip_suffix('Z').unwrap_or(s);
        let core = core.split('.').next().unwrap_or(core);
        let b = core.as_bytes();
        if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, String> {
            let part = &core[r];
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse().map_err(|_| bad())
        };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || d == 0 || d > 31 || h > 23 || mi > 59 || se > 59 {
            return Err(bad());
        }
        let days = days_from_civil(i64::from(y), mo, d);
        if civil_from_days(days) != (i64::from(y), mo, d) {
            return Err(format!("'{s}' is not a valid calendar date"));
        }
        let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + se);
        u32::try_from(secs).map(TimePointSec).map_err(|_| format!("'{s}' is outside 1970-01-01 .. 2106-02-07"))
    }
}

impl Pack for TimePointSec {
    fn pack(&self, out: &mut Vec<u8>) {
        self.0.pack(out)
    }
}
impl Unpack for TimePointSec {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        u32::unpack(r).map(TimePointSec)
    }
}
impl Serialize for TimePointSec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for TimePointSec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        let t: TimePointSec = "2030-01-01T00:00:00".parse().unwrap();
        assert_eq!(t.0, 1_893_456_000);
        assert_eq!(t.to_string(), "2030-01-01T00:00:00");
        assert_eq!(TimePointSec(0).to_string(), "1970-01-01T00:00:00");
        assert_eq!(TimePointSec::MAX.to_string(), "2106-02-07T06:28:15");
        assert_eq!("2106-02-07T06:28:15".parse::<TimePointSec>().unwrap(), TimePointSec::MAX);
        assert_eq!("2024-02-29T12:34:56Z".parse::<TimePointSec>().unwrap().to_string(), "2024-02-29T12:34:56");
    }

    #[test]
    fn bad_times_are_rejected() {
        for s in ["2023-02-29T00:00:00", "2030-13-01T00:00:00", "2030-01-01 00:00:00", "1969-12-31T23:59:59", "x"] {
            assert!(s.parse::<TimePointSec>().is_err(), "{s}");
        }
    }
}
