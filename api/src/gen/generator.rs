//! The generator: one household at a time into a fixed-size buffer.

use super::*;
// ---------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
pub(super) struct Village {
    pub(super) code: [u8; 12],
    pub(super) county: usize,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct County {
    pub(super) code: [u8; 6],
    pub(super) ethnic: Table<&'static str>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Member {
    pub(super) relation: Relation,
    pub(super) male: bool,
    pub(super) age: u32,
    pub(super) surname: &'static str,
    pub(super) given: [&'static str; 2],
    pub(super) ethnicity: &'static str,
    pub(super) education: &'static str,
    pub(super) schooling: &'static str,
    pub(super) health: Health,
    pub(super) work: &'static str,
    pub(super) migrant: bool,
    pub(super) rural_medical: bool,
    pub(super) rural_pension: bool,
    pub(super) dibao: bool,
    pub(super) critical_illness: bool,
    pub(super) phone: Option<u64>,
    pub(super) id: [u8; 18],
}

pub(super) const BLANK: Member = Member {
    relation: Relation::Head,
    male: true,
    age: 0,
    surname: "",
    given: ["", ""],
    ethnicity: HAN,
    education: "",
    schooling: "none",
    health: Health::Healthy,
    work: "none",
    migrant: false,
    rural_medical: false,
    rural_pension: false,
    dibao: false,
    critical_illness: false,
    phone: None,
    id: [b'0'; 18],
};

impl Member {
    pub(super) fn is_student(&self) -> bool {
        !matches!(self.schooling, "none" | "preschool")
    }
}

pub(super) struct Generator {
    pub(super) rng: Xoshiro256PlusPlus,
    pub(super) villages: Vec<Village>,
    /// The villages registered as poor villages (indexes into `villages`), chosen by weight;
    /// about 95% of households live in one of them, the rest are scattered (插花贫困户).
    pub(super) poor: Vec<usize>,
    /// Running total of the villages' weights, for picking one by binary search.
    pub(super) cumulative: Vec<u64>,
    /// Households generated so far per village (the household number's sequence).
    pub(super) village_households: Vec<u32>,
    pub(super) counties: Vec<County>,
    pub(super) ids: IdAllocator,
    pub(super) members: [Member; MAX_MEMBERS],
    pub(super) len: usize,
    /// The CSV rows of the current household.
    pub(super) line: Vec<u8>,
}

impl Generator {
    pub(super) fn new(seed: u64, count: u64) -> io::Result<Self> {
        let regions = liaoning_divisions().map_err(|e| io::Error::other(e.message_en))?;
        let mut villages = Vec::new();
        let mut counties: Vec<County> = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        for region in &regions {
            let code = region.code.as_str();
            // In statistical division codes, 001-199 are urban residents' committees
            // (社区, 居委会) and 200-399 villagers' committees (村委会): poor households
            // are registered in the latter.
            if region.level() != RegionLevel::Village || &code[9..10] < "2" {
                continue;
            }
            let county_code = &code[..6];
            if counties
                .last()
                .is_none_or(|c| c.code != county_code.as_bytes())
            {
                let mut c = [0u8; 6];
                c.copy_from_slice(county_code.as_bytes());
                counties.push(County {
                    code: c,
                    ethnic: ethnic_profile(county_code),
                });
            }
            let mut village = [0u8; 12];
            village.copy_from_slice(code.as_bytes());
            villages.push(Village {
                code: village,
                county: counties.len() - 1,
            });
            total += if KEY_COUNTIES.contains(&county_code) {
                KEY_COUNTY_WEIGHT
            } else if POOR_CITIES.contains(&&code[..4]) {
                POOR_CITY_WEIGHT
            } else {
                1
            };
            cumulative.push(total);
        }
        if villages.is_empty() {
            return Err(io::Error::other("the reference data holds no villages"));
        }
        // Which villages are poor villages: a stream of its own, so the choice depends on
        // the seed and the count only.
        let wanted = usize::try_from(
            count
                .div_ceil(HOUSEHOLDS_PER_POOR_VILLAGE)
                .clamp(1, MAX_POOR_VILLAGES),
        )
        .unwrap_or(1)
        .min(villages.len());
        let mut picker = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15);
        let mut chosen = std::collections::BTreeSet::new();
        while chosen.len() < wanted {
            let r = picker.random_range(0..total.max(1));
            chosen.insert(cumulative.partition_point(|&c| c <= r));
        }
        Ok(Self {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            poor: chosen.into_iter().collect(),
            village_households: vec![0; villages.len()],
            ids: IdAllocator::new(seed, counties.len()),
            villages,
            cumulative,
            counties,
            members: [BLANK; MAX_MEMBERS],
            len: 0,
            line: Vec::with_capacity(2048),
        })
    }

    pub(super) fn chance(&mut self, per_mille: u32) -> bool {
        self.rng.random_range(0..1000u32) < per_mille
    }

    pub(super) fn between(&mut self, low: u32, high: u32) -> u32 {
        self.rng.random_range(low..=high)
    }

    pub(super) fn pick<T: Copy>(&mut self, table: Table<T>) -> T {
        let total: u32 = table.iter().map(|&(_, w)| w).sum();
        let mut r = self.rng.random_range(0..total);
        for &(value, weight) in table {
            if r < weight {
                return value;
            }
            r -= weight;
        }
        table[table.len() - 1].0
    }

    pub(super) fn surname(&mut self, ethnicity: &'static str) -> &'static str {
        // Half the minority families carry a surname typical of their people.
        let own = match ethnicity {
            MANCHU => Some(MANCHU_SURNAMES),
            MONGOL => Some(MONGOL_SURNAMES),
            HUI => Some(HUI_SURNAMES),
            KOREAN => Some(KOREAN_SURNAMES),
            XIBE => Some(XIBE_SURNAMES),
            _ => None,
        };
        match own {
            Some(table) if self.chance(500) => self.pick(table),
            _ => self.pick(SURNAMES),
        }
    }

    pub(super) fn given_name(&mut self, male: bool, age: u32) -> [&'static str; 2] {
        let born = REFERENCE_YEAR - age as i32;
        let chars = match (male, born) {
            (true, ..1975) => MALE_OLD,
            (true, ..2000) => MALE_MIDDLE,
            (true, _) => MALE_NEW,
            (false, ..1975) => FEMALE_OLD,
            (false, ..2000) => FEMALE_MIDDLE,
            (false, _) => FEMALE_NEW,
        };
        let n = chars.len() as u32;
        let first = chars[self.between(0, n - 1) as usize];
        if self.chance(280) {
            [first, ""]
        } else {
            [first, chars[self.between(0, n - 1) as usize]]
        }
    }

    pub(super) fn push(
        &mut self,
        relation: Relation,
        male: bool,
        age: u32,
        surname: &'static str,
        ethnicity: &'static str,
    ) {
        let given = self.given_name(male, age);
        self.members[self.len] = Member {
            relation,
            male,
            age,
            surname,
            given,
            ethnicity,
            ..BLANK
        };
        self.len += 1;
    }

    /// Who lives in the household: relations, sexes, ages, names, ethnicity.
    pub(super) fn compose(&mut self, profile: Table<&'static str>) {
        self.len = 0;
        let size = self.pick(SIZES);
        let (low, high) = self.pick(HEAD_AGES);
        let head_age = self.between(low, high);
        // Single-person households are often widows; otherwise mostly men are registered.
        let head_male = self.chance(if size == 1 { 550 } else { 850 });
        let ethnic = self.pick(profile);
        let head_surname = self.surname(ethnic);
        self.push(Relation::Head, head_male, head_age, head_surname, ethnic);
        // The father's surname, which the children carry.
        let family_surname = if head_male {
            head_surname
        } else {
            self.surname(ethnic)
        };

        let mut spouse: Option<(u32, &'static str)> = None;
        if size >= 2 && self.chance(if size == 2 { 800 } else { 900 }) {
            let age = if head_male {
                (head_age + 2).saturating_sub(self.between(0, 8))
            } else {
                (head_age + self.between(0, 6)).saturating_sub(1)
            }
            .max(22);
            let ethnicity = if self.chance(800) {
                ethnic
            } else {
                self.pick(profile)
            };
            let surname = if head_male {
                self.surname(ethnicity)
            } else {
                family_surname
            };
            self.push(Relation::Spouse, !head_male, age, surname, ethnicity);
            spouse = Some((age, ethnicity));
        } else if size >= 2 && self.chance(250) {
            let age = (head_age + self.between(0, 16)).saturating_sub(8).max(18);
            let male = self.chance(500);
            self.push(Relation::Sibling, male, age, head_surname, ethnic);
        }

        if self.len < size && head_age <= 62 && self.chance(220) {
            let both = size - self.len >= 2 && self.chance(400);
            let father_age = head_age + self.between(22, 34);
            let mother_age = father_age
                .saturating_sub(self.between(0, 5))
                .max(head_age + 20);
            // Mothers outlive fathers: a single parent is more often the mother.
            let father = both || self.chance(350);
            if father {
                self.push(
                    Relation::Father,
                    true,
                    father_age.min(98),
                    head_surname,
                    ethnic,
                );
            }
            if both || !father {
                let surname = self.surname(ethnic);
                self.push(Relation::Mother, false, mother_age.min(98), surname, ethnic);
            }
        }

        let youngest_parent = spouse.map_or(head_age, |(age, _)| age.min(head_age));
        let mut married_child = false;
        while self.len < size && youngest_parent >= 20 {
            let age = self.between(youngest_parent.saturating_sub(42), youngest_parent - 20);
            let male = self.chance(520);
            let ethnicity = match spouse {
                Some((_, e)) if self.chance(500) => e,
                _ => ethnic,
            };
            let relation = if male {
                Relation::Son
            } else {
                Relation::Daughter
            };
            self.push(relation, male, age, family_surname, ethnicity);
            if married_child || age < 23 || size - self.len < 1 {
                continue;
            }
            // A married child living with the parents, and their children.
            let (in_law, chance) = if male {
                (Relation::DaughterInLaw, 550)
            } else {
                (Relation::SonInLaw, 150)
            };
            if !self.chance(chance) {
                continue;
            }
            married_child = true;
            let in_law_age = (age + 3).saturating_sub(self.between(0, 6)).max(20);
            let in_law_ethnicity = if self.chance(800) {
                ethnicity
            } else {
                self.pick(profile)
            };
            let in_law_surname = self.surname(in_law_ethnicity);
            self.push(in_law, !male, in_law_age, in_law_surname, in_law_ethnicity);
            let young = age.min(in_law_age);
            while self.len < size && young >= 20 {
                let age = self.between(young.saturating_sub(38), young - 20);
                let male = self.chance(520);
                let relation = if male {
                    Relation::Grandson
                } else {
                    Relation::Granddaughter
                };
                let e = if self.chance(500) {
                    ethnicity
                } else {
                    in_law_ethnicity
                };
                // A son's children carry the family name; an in-married son-in-law's
                // (上门女婿) children usually do too.
                self.push(relation, male, age, family_surname, e);
            }
        }
    }

    /// Education, schooling and health by age.
    pub(super) fn describe_members(&mut self) {
        for i in 0..self.len {
            let age = self.members[i].age;
            let (education, schooling) = match age {
                0..=2 => ("preschool", "none"),
                3..=5 => (
                    "preschool",
                    if self.chance(850) {
                        "preschool"
                    } else {
                        "none"
                    },
                ),
                6..=11 => ("primary", "primary"),
                12..=14 => ("junior_secondary", "junior_secondary"),
                15..=17 => self.pick(&[
                    (("senior_secondary", "senior_secondary"), 550),
                    (("vocational", "vocational"), 250),
                    (("junior_secondary", "none"), 200),
                ]),
                18..=21 if self.chance(300) => self.pick(&[
                    (("senior_secondary", "college"), 800),
                    (("junior_secondary", "vocational"), 200),
                ]),
                18..=45 => (self.pick(EDUCATION_YOUNG), "none"),
                46..=65 => (self.pick(EDUCATION_MIDDLE), "none"),
                _ => (self.pick(EDUCATION_OLD), "none"),
            };
            let health = self.pick(match age {
                0..=17 => HEALTH_CHILD,
                18..=49 => HEALTH_ADULT,
                50..=64 => HEALTH_MIDDLE,
                _ => HEALTH_OLD,
            });
            let m = &mut self.members[i];
            m.education = education;
            m.schooling = schooling;
            m.health = health;
        }
    }

    /// Work capacity, migrant work, insurance, allowances and phone numbers, once health
    /// is settled.
    pub(super) fn finish_members(&mut self, dibao_household: bool) {
        for i in 0..self.len {
            let m = self.members[i];
            let work = if m.age < 16 || m.schooling != "none" {
                "none"
            } else {
                match m.health {
                    Health::Serious | Health::Disabled => {
                        if self.chance(750) {
                            "lost"
                        } else {
                            "ordinary"
                        }
                    }
                    Health::Chronic if m.age >= 65 => {
                        if self.chance(500) {
                            "lost"
                        } else {
                            "none"
                        }
                    }
                    Health::Chronic => {
                        if self.chance(300) {
                            "lost"
                        } else {
                            "ordinary"
                        }
                    }
                    Health::Healthy if m.age >= 70 => "none",
                    Health::Healthy if m.age >= 60 => {
                        if self.chance(350) {
                            "none"
                        } else {
                            "ordinary"
                        }
                    }
                    Health::Healthy => {
                        if m.age <= 55 && self.chance(150) {
                            "skilled"
                        } else {
                            "ordinary"
                        }
                    }
                }
            };
            let able = matches!(work, "ordinary" | "skilled");
            let migrant = able && (18..=55).contains(&m.age) && self.chance(280);
            let rural_medical = self.chance(975);
            let rural_pension = m.age >= 16 && m.schooling == "none" && self.chance(880);
            let dibao = dibao_household && (m.relation == Relation::Head || self.chance(900));
            let critical_illness = rural_medical && self.chance(900);
            let phone = if (m.relation == Relation::Head
                && self.chance(if m.age < 70 { 700 } else { 400 }))
                || (migrant && self.chance(500))
            {
                let prefix = self.between(0, MOBILE_PREFIXES.len() as u32 - 1) as usize;
                Some(
                    MOBILE_PREFIXES[prefix] * 100_000_000
                        + self.rng.random_range(0..100_000_000u64),
                )
            } else {
                None
            };
            let m = &mut self.members[i];
            m.work = work;
            m.migrant = migrant;
            m.rural_medical = rural_medical;
            m.rural_pension = rural_pension;
            m.dibao = dibao;
            m.critical_illness = critical_illness;
            m.phone = phone;
        }
    }

    /// Makes sure some member has the illness or disability the household is poor for.
    pub(super) fn match_cause(&mut self, cause: Cause) {
        let health = match cause {
            Cause::Illness if self.chance(600) => Health::Chronic,
            Cause::Illness => Health::Serious,
            Cause::Disability => Health::Disabled,
            _ => return,
        };
        let present = self.members[..self.len].iter().any(|m| match cause {
            Cause::Illness => matches!(m.health, Health::Chronic | Health::Serious),
            _ => m.health == Health::Disabled,
        });
        if !present {
            let adults = self.members[..self.len]
                .iter()
                .filter(|m| m.age >= 18)
                .count() as u32;
            let nth = self.between(0, adults - 1) as usize;
            if let Some(m) = self.members[..self.len]
                .iter_mut()
                .filter(|m| m.age >= 18)
                .nth(nth)
            {
                m.health = health;
            }
        }
    }

    /// Generates one household into `self.line`.
    pub(super) fn household(&mut self) -> io::Result<()> {
        let scattered = self.chance(50);
        let v = if scattered {
            let r = self
                .rng
                .random_range(0..*self.cumulative.last().unwrap_or(&1));
            self.cumulative.partition_point(|&c| c <= r)
        } else {
            self.poor[self.rng.random_range(0..self.poor.len())]
        };
        let village = self.villages[v];
        self.village_households[v] += 1;
        let sequence = self.village_households[v];
        let county = self.counties[village.county];

        self.compose(county.ethnic);
        self.describe_members();
        let members = &self.members[..self.len];
        let has_student = members.iter().any(Member::is_student);
        let has_pupil = members.iter().any(|m| (6..=15).contains(&m.age));

        let mut main = self.pick(CAUSES);
        if main == Cause::Schooling && !has_student {
            main = Cause::LackOfCapital;
        }
        self.match_cause(main);
        let mut secondary = [main; 2];
        let wanted = self.pick(&[(0usize, 400), (1, 400), (2, 200)]);
        let mut found = 0;
        for _ in 0..20 {
            if found == wanted {
                break;
            }
            let c = self.pick(CAUSES);
            if c == main
                || secondary[..found].contains(&c)
                || (c == Cause::Schooling && !has_student)
            {
                continue;
            }
            secondary[found] = c;
            found += 1;
        }

        let head_age = self.members[0].age;
        let household_type = if self.len == 1 && head_age >= 60 && self.chance(400) {
            "wubao"
        } else {
            self.pick(HOUSEHOLD_TYPES)
        };
        self.finish_members(matches!(household_type, "dibao" | "dibao_poor"));
        let standard = self.pick(STANDARDS);
        let status = self.pick(STATUSES);
        let (income_yuan, exit_year) = match status {
            // Below the poverty line.
            Status::Poor => (1_500 + self.between(0, 900) + self.between(0, 450), None),
            // Exited households met the exit rule: income above the line, every guarantee.
            Status::Exited => (
                2_900 + self.between(0, 1_600) + self.between(0, 1_500),
                Some(self.pick(EXIT_YEARS)),
            ),
            // Exited but barely above the line.
            Status::AtRisk => (2_860 + self.between(0, 700), Some(self.pick(EXIT_YEARS))),
        };
        let income_fen = income_yuan * 100;
        debug_assert!((status == Status::Poor) == (income_fen <= POVERTY_LINE_FEN));
        let guarantees = if status == Status::Poor {
            let housing_security = self.chance(780);
            [
                if housing_security {
                    self.chance(980)
                } else {
                    self.chance(100)
                },
                self.chance(970),
                self.chance(980),
                !has_pupil || self.chance(940),
                self.chance(880),
                housing_security,
                self.chance(860),
            ]
        } else {
            [true; 7]
        };

        for i in 0..self.len {
            let birth_year = REFERENCE_YEAR - self.members[i].age as i32;
            let days = self.ids.days_in_year(birth_year);
            let day_of_year = self.between(0, days - 1);
            let id = self.ids.allocate(
                village.county,
                &county.code,
                birth_year,
                day_of_year,
                self.members[i].male,
            )?;
            self.members[i].id = id;
        }

        // The rows.
        let line = &mut self.line;
        line.clear();
        for (i, m) in self.members[..self.len].iter().enumerate() {
            // Every row names its household; only the first carries the other columns.
            line.extend_from_slice(&village.code);
            push_number(line, u64::from(sequence), 4);
            line.push(b',');
            if i == 0 {
                line.extend_from_slice(&village.code);
                line.push(b',');
                push_bool(line, scattered);
                line.push(b',');
                line.extend_from_slice(household_type.as_bytes());
                line.push(b',');
                line.extend_from_slice(standard.as_bytes());
                line.push(b',');
                line.extend_from_slice(main.as_str().as_bytes());
                line.push(b',');
                for (j, c) in secondary[..found].iter().enumerate() {
                    if j > 0 {
                        line.push(b'|');
                    }
                    line.extend_from_slice(c.as_str().as_bytes());
                }
                line.push(b',');
                push_number(line, u64::from(income_fen), 1);
                for g in guarantees {
                    line.push(b',');
                    push_bool(line, g);
                }
                line.push(b',');
                line.extend_from_slice(match status {
                    Status::Poor => b"poor".as_slice(),
                    Status::Exited => b"exited",
                    Status::AtRisk => b"at_risk",
                });
                line.push(b',');
                if let Some(year) = exit_year {
                    push_number(line, u64::from(year), 4);
                }
                line.push(b',');
            } else {
                line.extend_from_slice(&[b','; HOUSEHOLD_COLUMNS - 1]);
            }
            line.extend_from_slice(m.surname.as_bytes());
            line.extend_from_slice(m.given[0].as_bytes());
            line.extend_from_slice(m.given[1].as_bytes());
            line.push(b',');
            line.extend_from_slice(if m.male { b"male" } else { b"female" });
            line.push(b',');
            line.extend_from_slice(&m.id);
            line.push(b',');
            line.extend_from_slice(m.relation.as_str().as_bytes());
            line.push(b',');
            line.extend_from_slice(m.ethnicity.as_bytes());
            line.push(b',');
            line.extend_from_slice(m.education.as_bytes());
            line.push(b',');
            line.extend_from_slice(m.schooling.as_bytes());
            line.push(b',');
            line.extend_from_slice(m.health.as_str().as_bytes());
            line.push(b',');
            line.extend_from_slice(m.work.as_bytes());
            for flag in [
                m.migrant,
                m.rural_medical,
                m.rural_pension,
                m.dibao,
                m.critical_illness,
            ] {
                line.push(b',');
                push_bool(line, flag);
            }
            line.push(b',');
            if let Some(phone) = m.phone {
                push_number(line, phone, 11);
            }
            line.push(b'\n');
        }
        Ok(())
    }
}

pub(super) fn push_bool(line: &mut Vec<u8>, value: bool) {
    line.extend_from_slice(if value { b"true" } else { b"false" });
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
pub(super) fn push_number(line: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while n > 0 || digits.len() - start < width.max(1) {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    line.extend_from_slice(&digits[start..]);
}
