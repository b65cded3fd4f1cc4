//! Local time as tcpdump prints it: the offset from UTC that `localtime(3)`
//! applies (TZ, else the system's zone), for the printer's clock formats,
//! and strftime(3) for `-G` savefile names.

use rawcap::decode::text::UtcOffset;

/// The system's time zone (TZ, /etc/localtime), with the offset of the
/// last period looked up cached until the zone's next transition.
pub struct Local {
    tz: jiff::tz::TimeZone,
    /// Unix seconds `[start, end)` over which `offset` holds.
    cached: Option<(i64, i64, i32)>,
}

impl Local {
    /// The zone `localtime(3)` would use; UTC when it cannot be found (as
    /// glibc falls back to UTC).
    pub fn system() -> Self {
        Local {
            tz: jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC),
            cached: None,
        }
    }

    /// `strftime(3)` of `pattern` at Unix time `secs` in this zone (the
    /// conversions jiff knows; others are an error naming the pattern).
    ///
    /// # Errors
    /// When `pattern` has a conversion that cannot be formatted.
    pub fn strftime(&self, pattern: &str, secs: i64) -> anyhow::Result<String> {
        let ts = jiff::Timestamp::from_second(secs)?;
        let zoned = ts.to_zoned(self.tz.clone());
        jiff::fmt::strtime::format(pattern, &zoned)
            .map_err(|e| anyhow::anyhow!("{pattern}: cannot format the time: {e}"))
    }
}

impl UtcOffset for Local {
    fn offset(&mut self, secs: i64) -> i32 {
        if let Some((start, end, off)) = self.cached {
            if (start..end).contains(&secs) {
                return off;
            }
        }
        let Ok(ts) = jiff::Timestamp::from_second(secs) else {
            return 0;
        };
        let off = self.tz.to_offset(ts).seconds();
        // The period runs from the previous transition to the next one.
        let start = self
            .tz
            .preceding(ts)
            .next()
            .map_or(i64::MIN, |t| t.timestamp().as_second());
        let end = self
            .tz
            .following(ts)
            .next()
            .map_or(i64::MAX, |t| t.timestamp().as_second());
        self.cached = Some((start, end, off));
        off
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Local {
        Local {
            tz: jiff::tz::TimeZone::get(name).unwrap(),
            cached: None,
        }
    }

    #[test]
    fn offsets_follow_daylight_saving() {
        let mut ny = zone("America/New_York");
        // 2024-01-15 and 2024-07-15, noon UTC.
        assert_eq!(ny.offset(1_705_320_000), -5 * 3600);
        assert_eq!(ny.offset(1_721_044_800), -4 * 3600);
        assert_eq!(ny.offset(1_705_320_000), -5 * 3600);
        // One second either side of 2024-03-10 07:00 UTC (02:00 EST -> 03:00 EDT).
        assert_eq!(ny.offset(1_710_053_999), -5 * 3600);
        assert_eq!(ny.offset(1_710_054_000), -4 * 3600);
        let mut kolkata = zone("Asia/Kolkata");
        assert_eq!(kolkata.offset(1_705_320_000), 19_800);
    }

    #[test]
    fn strftime_names() {
        let utc = Local {
            tz: jiff::tz::TimeZone::UTC,
            cached: None,
        };
        assert_eq!(
            utc.strftime("cap-%Y%m%d-%H%M%S.pcap", 1_705_320_000)
                .unwrap(),
            "cap-20240115-120000.pcap"
        );
    }
}
