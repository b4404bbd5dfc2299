//! Matching (供需对接): how well an offer fits a need, as a score out of 100 with the reasons
//! behind it. Deterministic: the same need, offer and day always give the same score.
//!
//! | factor       | points | rule |
//! |--------------|-------:|------|
//! | `category`   | 35 | same category 35; either side `other` 10; else 0 |
//! | `place`      | 30 | the offer's nearest preferred region holding the need: same village 30, township 24, county 18, city 12, province (or no preference) 6; no preferred region holds it: not a match |
//! | `target_group` | 10 | the need's group among the offer's 10; offer open to all 5; need names no group 5; else 0 |
//! | `amount`     | 10 | same measure (fen, or the same unit): 10 × share of the need's remainder the offer covers, whole points; other measure 0 |
//! | `urgency`    | 10 | high 10, medium 5, low 0 |
//! | `deadline`   |  5 | within 7 days 5, within 30 days 3, later 1; passed: not a match |
//!
//! Ties are broken by the caller by id, so a ranking is stable too.

use chrono::NaiveDate;
use serde::Serialize;

use super::amount::Amount;
use super::vocabulary::{NeedCategory, TargetGroup, Urgency};
use crate::region::{RegionCode, RegionLevel};

/// What matching needs to know of a need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedFacts {
    pub category: NeedCategory,
    /// The village of the household or the village itself.
    pub place: RegionCode,
    pub target_group: Option<TargetGroup>,
    /// What is still to be pledged.
    pub remaining: Amount,
    pub urgency: Urgency,
    pub deadline: NaiveDate,
}

/// What matching needs to know of an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferFacts {
    pub category: NeedCategory,
    /// Empty: anywhere.
    pub regions: Vec<RegionCode>,
    pub target_groups: Vec<TargetGroup>,
    pub amount: Amount,
}

/// One factor of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    Category,
    Place,
    TargetGroup,
    Amount,
    Urgency,
    Deadline,
}

/// Why a factor gave the points it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub factor: Factor,
    pub points: u32,
    pub max: u32,
    /// Stable machine word: `same_category`, `same_county`, `group_served`, `covers_all`, ...
    pub code: &'static str,
}

/// A score out of 100 and its reasons, one per factor in the table's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub total: u32,
    pub reasons: Vec<Reason>,
}

/// How well `offer` fits `need` on `today`; `None` when it cannot help at all (the need lies
/// outside every preferred region, or its deadline has passed).
pub fn score(need: &NeedFacts, offer: &OfferFacts, today: NaiveDate) -> Option<Score> {
    let days = (need.deadline - today).num_days();
    if days < 0 {
        return None;
    }
    let reasons = vec![
        category(need.category, offer.category),
        place(&need.place, &offer.regions)?,
        target_group(need.target_group, &offer.target_groups),
        amount(&need.remaining, &offer.amount),
        urgency(need.urgency),
        deadline(days),
    ];
    Some(Score {
        total: reasons.iter().map(|r| r.points).sum(),
        reasons,
    })
}

fn reason(factor: Factor, points: u32, max: u32, code: &'static str) -> Reason {
    Reason {
        factor,
        points,
        max,
        code,
    }
}

fn category(need: NeedCategory, offer: NeedCategory) -> Reason {
    match (need, offer) {
        (n, o) if n == o => reason(Factor::Category, 35, 35, "same_category"),
        (NeedCategory::Other, _) | (_, NeedCategory::Other) => {
            reason(Factor::Category, 10, 35, "open_category")
        }
        _ => reason(Factor::Category, 0, 35, "other_category"),
    }
}

fn place(need: &RegionCode, regions: &[RegionCode]) -> Option<Reason> {
    let nearest = if regions.is_empty() {
        RegionLevel::Province
    } else {
        regions
            .iter()
            .filter(|r| r.contains(need))
            .map(RegionCode::level)
            .max()?
    };
    let (points, code) = match nearest {
        RegionLevel::Village => (30, "same_village"),
        RegionLevel::Township => (24, "same_township"),
        RegionLevel::County => (18, "same_county"),
        RegionLevel::City => (12, "same_city"),
        RegionLevel::Province => (6, "same_province"),
    };
    Some(reason(Factor::Place, points, 30, code))
}

fn target_group(need: Option<TargetGroup>, offer: &[TargetGroup]) -> Reason {
    match need {
        None => reason(Factor::TargetGroup, 5, 10, "no_group_needed"),
        Some(_) if offer.is_empty() => reason(Factor::TargetGroup, 5, 10, "open_to_all"),
        Some(g) if offer.contains(&g) => reason(Factor::TargetGroup, 10, 10, "group_served"),
        Some(_) => reason(Factor::TargetGroup, 0, 10, "other_groups"),
    }
}

fn amount(remaining: &Amount, offer: &Amount) -> Reason {
    if !remaining.same_measure(offer) {
        return reason(Factor::Amount, 0, 10, "other_measure");
    }
    if remaining.value <= 0 || offer.value >= remaining.value {
        return reason(Factor::Amount, 10, 10, "covers_all");
    }
    let share = i128::from(offer.value) * 10 / i128::from(remaining.value);
    reason(
        Factor::Amount,
        u32::try_from(share).unwrap_or(0),
        10,
        "covers_part",
    )
}

fn urgency(u: Urgency) -> Reason {
    match u {
        Urgency::High => reason(Factor::Urgency, 10, 10, "high"),
        Urgency::Medium => reason(Factor::Urgency, 5, 10, "medium"),
        Urgency::Low => reason(Factor::Urgency, 0, 10, "low"),
    }
}

fn deadline(days: i64) -> Reason {
    match days {
        0..=7 => reason(Factor::Deadline, 5, 5, "within_a_week"),
        8..=30 => reason(Factor::Deadline, 3, 5, "within_a_month"),
        _ => reason(Factor::Deadline, 1, 5, "later"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn need() -> NeedFacts {
        NeedFacts {
            category: NeedCategory::Education,
            place: code("210921100201"),
            target_group: Some(TargetGroup::Children),
            remaining: Amount {
                value: 10,
                unit: Some("套".into()),
            },
            urgency: Urgency::High,
            deadline: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        }
    }

    fn offer(category: NeedCategory, regions: &[&str], value: i64) -> OfferFacts {
        OfferFacts {
            category,
            regions: regions.iter().map(|r| code(r)).collect(),
            target_groups: vec![TargetGroup::Children],
            amount: Amount {
                value,
                unit: Some("套".into()),
            },
        }
    }

    #[test]
    fn a_perfect_fit_scores_100_with_every_reason() {
        let s = score(
            &need(),
            &offer(NeedCategory::Education, &["210921100201"], 10),
            today(),
        )
        .unwrap();
        assert_eq!(s.total, 100);
        let codes: Vec<_> = s.reasons.iter().map(|r| r.code).collect();
        assert_eq!(
            codes,
            vec![
                "same_category",
                "same_village",
                "group_served",
                "covers_all",
                "high",
                "within_a_week"
            ]
        );
        assert_eq!(s.reasons.iter().map(|r| r.max).sum::<u32>(), 100);
    }

    #[test]
    fn nearer_is_better_and_the_nearest_preferred_region_counts() {
        let n = need();
        let at = |regions: &[&str]| {
            score(&n, &offer(NeedCategory::Education, regions, 10), today())
                .unwrap()
                .total
        };
        let village = at(&["210921100201"]);
        let township = at(&["210921100000"]);
        let county = at(&["210921"]);
        let city = at(&["210900"]);
        let province = at(&["210000"]);
        let anywhere = at(&[]);
        assert!(village > township && township > county && county > city && city > province);
        assert_eq!(province, anywhere);
        assert_eq!(at(&["210900", "210921"]), county);
        assert_eq!(
            score(
                &n,
                &offer(NeedCategory::Education, &["211300"], 10),
                today()
            ),
            None
        );
    }

    #[test]
    fn same_county_same_category_beats_distant_other_category() {
        let n = need();
        let near = score(
            &n,
            &offer(NeedCategory::Education, &["210921"], 10),
            today(),
        )
        .unwrap();
        let far = score(&n, &offer(NeedCategory::Medical, &[], 10), today()).unwrap();
        assert!(near.total > far.total, "{} vs {}", near.total, far.total);
        assert_eq!(far.reasons[0].code, "other_category");
    }

    #[test]
    fn amount_groups_urgency_and_deadline() {
        let mut n = need();
        let o = offer(NeedCategory::Education, &[], 4);
        assert_eq!(score(&n, &o, today()).unwrap().reasons[3].points, 4);
        let money = OfferFacts {
            amount: Amount {
                value: 100,
                unit: None,
            },
            ..o.clone()
        };
        assert_eq!(
            score(&n, &money, today()).unwrap().reasons[3].code,
            "other_measure"
        );
        let elderly = OfferFacts {
            target_groups: vec![TargetGroup::Elderly],
            ..o.clone()
        };
        assert_eq!(score(&n, &elderly, today()).unwrap().reasons[2].points, 0);
        n.urgency = Urgency::Low;
        n.deadline = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
        let s = score(&n, &o, today()).unwrap();
        assert_eq!((s.reasons[4].points, s.reasons[5].points), (0, 1));
        n.deadline = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(score(&n, &o, today()), None);
    }

    #[test]
    fn scores_are_deterministic() {
        let n = need();
        let o = offer(NeedCategory::Other, &["210900"], 3);
        assert_eq!(score(&n, &o, today()), score(&n, &o, today()));
    }
}
