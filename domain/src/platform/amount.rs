//! How much a need asks for or an offer gives: money in fen, or a quantity of a unit
//! (`20` `套` of school uniforms). A need's capacity is its amount; pledges take from it.

use crate::{DomainError, FieldError};

/// The largest amount accepted: 10 billion yuan, or 10^12 of a unit.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// The longest unit name, in characters.
pub const MAX_UNIT_CHARS: usize = 16;

/// A positive amount of money (`unit: None`, in fen) or of a named unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub value: i64,
    /// `None`: fen. `Some("套")`: that many sets.
    pub unit: Option<String>,
}

impl Amount {
    /// Exactly one of `amount_fen` and `quantity` (with its `unit`) is given.
    pub fn parse(
        amount_fen: Option<i64>,
        quantity: Option<i64>,
        unit: Option<&str>,
    ) -> Result<Amount, Vec<FieldError>> {
        let unit = unit.map(str::trim).filter(|u| !u.is_empty());
        match (amount_fen, quantity) {
            (Some(_), Some(_)) => Err(vec![FieldError::new(
                "quantity",
                "exclusive",
                "give either amount_fen or quantity with unit, not both",
                "amount_fen 与 quantity 只能填写其一",
            )]),
            (None, None) => Err(vec![FieldError::new(
                "amount_fen",
                "required",
                "give amount_fen, or quantity with unit",
                "请填写 amount_fen，或 quantity 与 unit",
            )]),
            (Some(fen), None) => {
                let mut errors = Vec::new();
                if unit.is_some() {
                    errors.push(FieldError::new(
                        "unit",
                        "not_allowed",
                        "a unit goes with quantity, not with amount_fen",
                        "unit 只能与 quantity 一起填写",
                    ));
                }
                if let Err(e) = positive(fen, "amount_fen") {
                    errors.push(e);
                }
                if errors.is_empty() {
                    Ok(Amount {
                        value: fen,
                        unit: None,
                    })
                } else {
                    Err(errors)
                }
            }
            (None, Some(n)) => {
                let mut errors = Vec::new();
                if let Err(e) = positive(n, "quantity") {
                    errors.push(e);
                }
                match unit {
                    None => errors.push(FieldError::new(
                        "unit",
                        "required",
                        "a quantity needs its unit (套, 台, 人, 斤 ...)",
                        "填写 quantity 时必须填写 unit（套、台、人、斤等）",
                    )),
                    Some(u) if u.chars().count() > MAX_UNIT_CHARS => errors.push(FieldError::new(
                        "unit",
                        "too_long",
                        format!("a unit has at most {MAX_UNIT_CHARS} characters"),
                        format!("unit 最多 {MAX_UNIT_CHARS} 个字符"),
                    )),
                    Some(_) => {}
                }
                if errors.is_empty() {
                    Ok(Amount {
                        value: n,
                        unit: unit.map(str::to_owned),
                    })
                } else {
                    Err(errors)
                }
            }
        }
    }

    /// Whether `other` is counted in the same measure (both fen, or the same unit).
    pub fn same_measure(&self, other: &Amount) -> bool {
        self.unit == other.unit
    }

    /// The part of a need's amount a pledge takes, given as `amount_fen` or `quantity` to
    /// match the need's measure.
    pub fn part(&self, amount_fen: Option<i64>, quantity: Option<i64>) -> Result<i64, FieldError> {
        let (given, other, field) = match self.unit {
            None => (amount_fen, quantity, "amount_fen"),
            Some(_) => (quantity, amount_fen, "quantity"),
        };
        if other.is_some() {
            let (en, zh) = match &self.unit {
                None => (
                    "this need asks for money: pledge amount_fen".to_owned(),
                    "该需求为资金需求，请填写 amount_fen".to_owned(),
                ),
                Some(u) => (
                    format!("this need asks for a quantity in {u}: pledge quantity"),
                    format!("该需求以「{u}」计量，请填写 quantity"),
                ),
            };
            let wrong = if field == "amount_fen" {
                "quantity"
            } else {
                "amount_fen"
            };
            return Err(FieldError::new(wrong, "wrong_measure", en, zh));
        }
        let n = given.ok_or_else(|| {
            FieldError::new(
                field,
                "required",
                format!("{field} is required"),
                format!("缺少 {field}"),
            )
        })?;
        positive(n, field)?;
        Ok(n)
    }
}

fn positive(n: i64, field: &str) -> Result<(), FieldError> {
    if n <= 0 {
        return Err(FieldError::new(
            field,
            "not_positive",
            format!("{field} must be above 0"),
            format!("{field} 必须大于 0"),
        ));
    }
    if n > MAX_AMOUNT {
        return Err(FieldError::new(
            field,
            "out_of_range",
            format!("{field} is at most {MAX_AMOUNT}"),
            format!("{field} 不能超过 {MAX_AMOUNT}"),
        ));
    }
    Ok(())
}

/// A need's capacity: what it asks for and what open pledges already hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub asked: i64,
    pub pledged: i64,
}

impl Capacity {
    pub fn remaining(self) -> i64 {
        (self.asked - self.pledged).max(0)
    }

    /// The capacity after pledging `n`; never more pledged than asked.
    pub fn take(self, n: i64, unit: Option<&str>) -> Result<Capacity, DomainError> {
        if n <= 0 || n > self.remaining() {
            return Err(DomainError::CapacityExceeded {
                remaining: self.remaining(),
                unit: unit.map(str::to_owned),
            });
        }
        Ok(Capacity {
            asked: self.asked,
            pledged: self.pledged + n,
        })
    }

    /// The capacity after a pledge of `n` is cancelled.
    pub fn give_back(self, n: i64) -> Capacity {
        Capacity {
            asked: self.asked,
            pledged: (self.pledged - n).max(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_measure() {
        assert_eq!(
            Amount::parse(Some(500_000), None, None),
            Ok(Amount {
                value: 500_000,
                unit: None
            })
        );
        assert_eq!(
            Amount::parse(None, Some(20), Some(" 套 ")),
            Ok(Amount {
                value: 20,
                unit: Some("套".into())
            })
        );
        assert_eq!(
            Amount::parse(Some(1), Some(1), Some("套")).unwrap_err()[0].code,
            "exclusive"
        );
        assert_eq!(
            Amount::parse(None, None, None).unwrap_err()[0].code,
            "required"
        );
        let e = Amount::parse(None, Some(0), None).unwrap_err();
        let codes: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            vec![("quantity", "not_positive"), ("unit", "required")]
        );
        assert_eq!(
            Amount::parse(Some(MAX_AMOUNT + 1), None, None).unwrap_err()[0].code,
            "out_of_range"
        );
    }

    #[test]
    fn a_pledge_is_given_in_the_needs_measure() {
        let money = Amount::parse(Some(10_000), None, None).unwrap();
        assert_eq!(money.part(Some(2_500), None), Ok(2_500));
        assert_eq!(money.part(None, Some(3)).unwrap_err().code, "wrong_measure");
        let sets = Amount::parse(None, Some(10), Some("套")).unwrap();
        assert_eq!(sets.part(None, Some(3)), Ok(3));
        let e = sets.part(Some(3), None).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("amount_fen", "wrong_measure"));
        assert_eq!(sets.part(None, Some(-1)).unwrap_err().code, "not_positive");
    }

    #[test]
    fn capacity_never_goes_over_what_was_asked() {
        let c = Capacity {
            asked: 10,
            pledged: 7,
        };
        assert_eq!(c.remaining(), 3);
        assert_eq!(c.take(3, Some("套")).map(|c| c.pledged), Ok(10));
        assert_eq!(
            c.take(4, Some("套")),
            Err(DomainError::CapacityExceeded {
                remaining: 3,
                unit: Some("套".into())
            })
        );
        assert_eq!(c.give_back(7).remaining(), 10);
    }
}
