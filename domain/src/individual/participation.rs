//! What one person did in a year, and the "lead by example" tally of a work unit: how many
//! confirmed staff it has, how many of them took part in any form, and what they gave.

use std::collections::{BTreeMap, HashMap};
use std::ops::AddAssign;

/// One person's (or a unit's summed) participation in a year. Only records that prove
/// something count: donations their receivers confirmed, volunteer hours the organiser
/// certified, pairings in effect, pledges whose delivery the household side confirmed,
/// campaigns joined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Participation {
    pub donations: i64,
    pub donated_fen: i64,
    /// Certified volunteer hours, in tenths of an hour.
    pub volunteer_tenths: i64,
    pub pairings: i64,
    pub confirmed_pledges: i64,
    pub campaigns_joined: i64,
}

impl Participation {
    /// Took part in at least one form.
    pub fn is_active(&self) -> bool {
        self.donations > 0
            || self.volunteer_tenths > 0
            || self.pairings > 0
            || self.confirmed_pledges > 0
            || self.campaigns_joined > 0
    }
}

impl AddAssign for Participation {
    fn add_assign(&mut self, o: Self) {
        self.donations += o.donations;
        self.donated_fen += o.donated_fen;
        self.volunteer_tenths += o.volunteer_tenths;
        self.pairings += o.pairings;
        self.confirmed_pledges += o.confirmed_pledges;
        self.campaigns_joined += o.campaigns_joined;
    }
}

/// A work unit's staff and their participation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkUnitTally {
    /// Confirmed staff.
    pub staff: i64,
    /// Confirmed staff who took part in any form (each person once).
    pub participating: i64,
    pub totals: Participation,
}

impl WorkUnitTally {
    /// Participating staff per thousand staff (0 for a unit without staff).
    pub fn per_mille(&self) -> i64 {
        if self.staff == 0 {
            0
        } else {
            self.participating * 1000 / self.staff
        }
    }
}

/// Folds each confirmed staff member's participation into their unit's tally. `staff` gives
/// (unit, person) pairs, one per person; a person without records counts as staff only.
pub fn tally_by_unit<'a>(
    staff: impl IntoIterator<Item = (&'a str, &'a str)>,
    participation: &HashMap<String, Participation>,
) -> BTreeMap<String, WorkUnitTally> {
    let mut units: BTreeMap<String, WorkUnitTally> = BTreeMap::new();
    for (unit, person) in staff {
        let tally = units.entry(unit.to_owned()).or_default();
        tally.staff += 1;
        if let Some(p) = participation.get(person).filter(|p| p.is_active()) {
            tally.participating += 1;
            tally.totals += *p;
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_active_in_several_forms_is_one_participant() {
        let mut people = HashMap::new();
        people.insert(
            "li".to_owned(),
            Participation {
                donations: 2,
                donated_fen: 30_000,
                volunteer_tenths: 35,
                campaigns_joined: 1,
                ..Participation::default()
            },
        );
        people.insert(
            "wang".to_owned(),
            Participation {
                pairings: 1,
                confirmed_pledges: 1,
                ..Participation::default()
            },
        );
        // Zhao has a row but nothing in it; Zhou has no row at all.
        people.insert("zhao".to_owned(), Participation::default());
        let staff = [
            ("dept", "li"),
            ("dept", "wang"),
            ("dept", "zhao"),
            ("dept", "zhou"),
            ("league", "sun"),
        ];
        let units = tally_by_unit(staff, &people);
        let dept = units["dept"];
        assert_eq!((dept.staff, dept.participating), (4, 2));
        assert_eq!(dept.per_mille(), 500);
        assert_eq!(
            dept.totals,
            Participation {
                donations: 2,
                donated_fen: 30_000,
                volunteer_tenths: 35,
                pairings: 1,
                confirmed_pledges: 1,
                campaigns_joined: 1,
            }
        );
        assert_eq!(
            units["league"],
            WorkUnitTally {
                staff: 1,
                participating: 0,
                totals: Participation::default()
            }
        );
        assert_eq!(WorkUnitTally::default().per_mille(), 0);
    }
}
