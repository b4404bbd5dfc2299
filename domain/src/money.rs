//! Money as integer fen (分), never floats.

use std::fmt;

use crate::FieldError;

/// An amount of money in fen (1 yuan = 100 fen). Never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fen(i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub fn get(self) -> i64 {
        self.0
    }

    /// Whole yuan, for display; never used for arithmetic.
    pub fn yuan(self) -> i64 {
        self.0 / 100
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).filter(|v| *v >= 0).map(Fen)
    }
}

impl TryFrom<i64> for Fen {
    type Error = FieldError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        if value < 0 {
            return Err(FieldError::new(
                "amount_fen",
                "negative",
                "an amount of money cannot be negative",
                "金额不能为负数",
            ));
        }
        Ok(Fen(value))
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_amounts_are_rejected() {
        let err = Fen::try_from(-1).unwrap_err();
        assert_eq!(err.code, "negative");
    }

    #[test]
    fn arithmetic_never_goes_below_zero() {
        let a = Fen::try_from(500).unwrap();
        let b = Fen::try_from(700).unwrap();
        assert_eq!(a.checked_sub(b), None);
        assert_eq!(b.checked_sub(a), Some(Fen::try_from(200).unwrap()));
        assert_eq!(a.checked_add(b).map(Fen::get), Some(1200));
        assert_eq!(Fen::try_from(123_456).unwrap().to_string(), "1234.56");
    }
}
