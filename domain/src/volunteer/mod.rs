//! 扶贫志愿者行动 (task 6): volunteers, the activities organisations run in villages, and the
//! hours volunteers log — which count only once the organiser certified them.

use chrono::NaiveDate;

use crate::FieldError;
use crate::input::{parse_period, parse_villages};
use crate::labels::labelled_enum;
use crate::platform::text::required_text;
use crate::region::RegionCode;

mod record;

pub use record::{
    Activity, AlreadyCertified, Certification, HoursEntry, MAX_SKILL_CHARS, MAX_SKILLS,
    ProfileSpec, ServiceRecord, Volunteer,
};

labelled_enum! {
    /// 志愿者类别
    pub enum VolunteerKind in "kind" {
        /// 学生
        Student = "student", "学生", ["大学生"];
        /// 专业人员
        Professional = "professional", "专业人员", ["专业技术人员"];
        /// 离退休人员
        Retiree = "retiree", "离退休人员", ["退休人员"];
        /// 其他
        Other = "other", "其他", ["其它"];
    }
}

labelled_enum! {
    /// 志愿服务活动类型 (the five the policy names)
    pub enum ActivityType in "activity_type" {
        /// 扶贫调研
        Research = "research", "扶贫调研", ["调研"];
        /// 支教
        Teaching = "teaching", "支教", [];
        /// 支医
        Medical = "medical", "支医", [];
        /// 文化下乡
        Culture = "culture", "文化下乡", [];
        /// 科技推广
        Technology = "technology", "科技推广", [];
    }
}

/// Hours are logged in tenths, from half an hour to a whole day per entry.
pub const MIN_TENTHS: i32 = 5;
pub const MAX_TENTHS: i32 = 240;

/// A person serves at most 24 hours a day: `tenths` more on a day that already holds
/// `logged` (in every activity) must stay within it.
pub fn check_daily_total(logged: i64, tenths: i32) -> Result<(), FieldError> {
    if logged + i64::from(tenths) > i64::from(MAX_TENTHS) {
        return Err(FieldError::new(
            "hours",
            "over_daily_limit",
            format!(
                "at most 24 hours a day; {} already logged for that day",
                logged as f64 / 10.0
            ),
            format!(
                "每人每天最多 24 小时；当天已记录 {} 小时",
                logged as f64 / 10.0
            ),
        ));
    }
    Ok(())
}

/// Checks one entry of hours: `hours` (0.5 to 24, in steps of 0.1) on `date` (not in the
/// future, within the activity's period). Returns tenths of an hour.
pub fn parse_hours(
    hours: Option<f64>,
    date: Option<&str>,
    period: (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Result<(i32, NaiveDate), Vec<FieldError>> {
    let mut errors = Vec::new();
    let tenths = match hours {
        None => {
            errors.push(FieldError::new(
                "hours",
                "required",
                "hours is required",
                "缺少 hours",
            ));
            None
        }
        Some(h) if !h.is_finite() => {
            errors.push(FieldError::new(
                "hours",
                "out_of_range",
                "hours must be a number",
                "hours 必须是数字",
            ));
            None
        }
        Some(h) => {
            let t = (h * 10.0).round();
            if !(f64::from(MIN_TENTHS)..=f64::from(MAX_TENTHS)).contains(&t) {
                errors.push(FieldError::new(
                    "hours",
                    "out_of_range",
                    "hours are 0.5 to 24 per entry",
                    "每条记录的时长应在 0.5 到 24 小时之间",
                ));
                None
            } else {
                // In range, so it fits an i32.
                Some(t as i32)
            }
        }
    };
    let date = match date.map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")) {
        None => {
            errors.push(FieldError::new(
                "date",
                "required",
                "date is required",
                "缺少 date",
            ));
            None
        }
        Some(Err(_)) => {
            errors.push(FieldError::new(
                "date",
                "invalid_date",
                "date is YYYY-MM-DD",
                "date 应为 YYYY-MM-DD 格式",
            ));
            None
        }
        Some(Ok(d)) if d > today => {
            errors.push(FieldError::new(
                "date",
                "in_the_future",
                "hours are logged after they are served",
                "不能登记未来日期的服务时长",
            ));
            None
        }
        Some(Ok(d)) if d < period.0 || d > period.1 => {
            errors.push(FieldError::new(
                "date",
                "outside_activity",
                format!("the activity runs from {} to {}", period.0, period.1),
                format!("活动时间为 {} 至 {}", period.0, period.1),
            ));
            None
        }
        Some(Ok(d)) => Some(d),
    };
    match (tenths, date) {
        (Some(t), Some(d)) if errors.is_empty() => Ok((t, d)),
        _ => Err(errors),
    }
}

/// A volunteer's total: only certified hours count.
pub fn certified_total_tenths<'a>(entries: impl IntoIterator<Item = (i32, bool)> + 'a) -> i64 {
    entries
        .into_iter()
        .filter(|(_, certified)| *certified)
        .map(|(t, _)| i64::from(t))
        .sum()
}

/// A volunteer activity as an organisation plans it: one of the five types, a title, the
/// villages it serves, and its period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivitySpec {
    pub activity_type: ActivityType,
    pub title: String,
    pub villages: Vec<RegionCode>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl ActivitySpec {
    /// Every field checked; every error reported at once, against its field.
    pub fn parse(
        activity_type: &str,
        title: &str,
        village_codes: &[String],
        starts_on: &str,
        ends_on: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let activity_type = ActivityType::parse(activity_type)
            .map_err(|e| errors.push(e))
            .ok();
        let title = required_text(Some(title), "title", 100)
            .map_err(|e| errors.push(e))
            .ok();
        let period = parse_period(starts_on, ends_on)
            .map_err(|e| errors.extend(e))
            .ok();
        let villages = parse_villages(village_codes, "village_codes")
            .map_err(|e| errors.extend(e))
            .ok();
        match (activity_type, title, period, villages) {
            (Some(activity_type), Some(title), Some((starts_on, ends_on)), Some(villages))
                if errors.is_empty() =>
            {
                Ok(ActivitySpec {
                    activity_type,
                    title,
                    villages,
                    starts_on,
                    ends_on,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_holds_at_most_twenty_four_hours() {
        assert_eq!(check_daily_total(0, 240), Ok(()));
        assert_eq!(check_daily_total(160, 80), Ok(()));
        let over = check_daily_total(160, 85).unwrap_err();
        assert_eq!(
            (over.field.as_str(), over.code),
            ("hours", "over_daily_limit")
        );
        assert!(over.message_en.contains("16 already logged"), "{over:?}");
    }

    #[test]
    fn an_activity_reports_every_bad_field() {
        let ok = ActivitySpec::parse(
            "teaching",
            " 寒假支教 ",
            &["210921100202".into()],
            "2026-11-01",
            "2027-02-28",
        )
        .unwrap();
        assert_eq!(
            (ok.activity_type, ok.title.as_str(), ok.villages[0].as_str()),
            (ActivityType::Teaching, "寒假支教", "210921100202")
        );
        let errors = ActivitySpec::parse(
            "dancing",
            "",
            &["210921".into()],
            "2026-12-01",
            "2026-11-01",
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["activity_type", "title", "ends_on", "village_codes[0]"]
        );
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn hours_are_checked() {
        let period = (d("2026-11-01"), d("2026-11-30"));
        let today = d("2026-11-28");
        assert_eq!(
            parse_hours(Some(3.5), Some("2026-11-20"), period, today),
            Ok((35, d("2026-11-20")))
        );
        let e = parse_hours(Some(30.0), Some("2026-11-29"), period, today).unwrap_err();
        let codes: Vec<_> = e.iter().map(|e| e.code).collect();
        assert_eq!(codes, vec!["out_of_range", "in_the_future"]);
        assert_eq!(
            parse_hours(Some(2.0), Some("2026-10-31"), period, today).unwrap_err()[0].code,
            "outside_activity"
        );
    }

    #[test]
    fn uncertified_hours_never_count() {
        assert_eq!(
            certified_total_tenths([(35, true), (80, false), (10, true)]),
            45
        );
        assert_eq!(certified_total_tenths([(80, false)]), 0);
    }

    #[test]
    fn the_five_activity_types() {
        assert_eq!(ActivityType::ALL.len(), 5);
        assert_eq!(ActivityType::parse("支教"), Ok(ActivityType::Teaching));
        assert_eq!(VolunteerKind::parse("退休人员"), Ok(VolunteerKind::Retiree));
    }
}
