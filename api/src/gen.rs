//! Synthetic household registry data for tests and benchmarks: `fupin gen households N`.
//!
//! Writes the import layout of `docs/registry-csv.md` (English enumeration values, every
//! column, one row per member, household columns on a household's first row only) for `N`
//! made-up poor households spread over Liaoning's real villages.
//!
//! - **Deterministic**: the same `N` and seed give byte-identical output. The random numbers
//!   come from `Xoshiro256PlusPlus`, a generator `rand` promises to keep reproducible.
//! - **Streaming**: one household is built at a time in a fixed-size buffer; memory does not
//!   grow with `N` (a few tables sized by the number of villages, counties and days).
//! - **Importable**: household numbers and ID numbers are unique across the file, ID numbers
//!   carry the village's county, the member's birth date and sex and a correct check digit,
//!   and exited households satisfy the exit rule.
//!
//! Ages are as of the end of [`REFERENCE_YEAR`], the last year of the targeted
//! poverty-alleviation campaign, so the output does not depend on today's date.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use domain::region::RegionLevel;
use domain::region::reference::liaoning_divisions;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// The columns of the household registry CSV, in the order of `docs/registry-csv.md`
/// (the domain's layout is the one definition).
pub use domain::registry::csv_layout::ALL_COLUMNS as COLUMNS;

/// Number of household columns (the first ones of [`COLUMNS`]).
const HOUSEHOLD_COLUMNS: usize = domain::registry::csv_layout::HOUSEHOLD_COLUMNS.len();

/// Ages are whole years on 31 December of this year.
pub const REFERENCE_YEAR: i32 = 2020;

/// Earliest birth year the generator produces (a head's parent of 98).
const FIRST_BIRTH_YEAR: i32 = 1920;
const YEARS: usize = (REFERENCE_YEAR - FIRST_BIRTH_YEAR + 1) as usize;

/// The national poverty line of the campaign's last years, per person and year, in fen.
const POVERTY_LINE_FEN: u32 = 285_500;

/// Largest household the generator makes.
const MAX_MEMBERS: usize = 6;

/// What [`write_households`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenSummary {
    pub households: u64,
    pub members: u64,
}

/// Writes the header and `count` synthetic households to `out`, deterministically for
/// `seed`. Each household is written with one `write_all`; give a buffered writer.
///
/// Fails on a write error, or when `count` is so large (tens of millions of households per
/// county and birth year) that the ID numbers of one county, birth year and sex run out.
pub fn write_households<W: Write>(mut out: W, count: u64, seed: u64) -> io::Result<GenSummary> {
    let mut generator = Generator::new(seed, count)?;
    out.write_all(COLUMNS.join(",").as_bytes())?;
    out.write_all(b"\n")?;
    let mut summary = GenSummary::default();
    for _ in 0..count {
        generator.household()?;
        out.write_all(&generator.line)?;
        summary.households += 1;
        summary.members += generator.len as u64;
    }
    Ok(summary)
}

/// `fupin gen households`: writes to `out` (standard output when `None`) through a
/// `BufWriter` and prints a one-line summary to standard error.
/// Households per registered poor village in generated data (Liaoning 2015: about 300,000
/// households in 1,791 poor villages, so some 170 each).
pub const HOUSEHOLDS_PER_POOR_VILLAGE: u64 = 150;
/// Liaoning's registered poor villages in 2015: the most a generated file uses.
pub const MAX_POOR_VILLAGES: u64 = 1_791;

/// The registered poor villages that `write_households(_, count, seed)` puts its
/// non-scattered households in: register these before importing the file.
pub fn poor_villages(count: u64, seed: u64) -> io::Result<Vec<String>> {
    let generator = Generator::new(seed, count)?;
    Ok(generator
        .poor
        .iter()
        .map(|&v| String::from_utf8_lossy(&generator.villages[v].code).into_owned())
        .collect())
}

pub fn run_households(count: u64, seed: u64, out: Option<&Path>) -> Result<GenSummary, String> {
    let started = Instant::now();
    let summary = match out {
        Some(path) => {
            let file =
                File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            let mut writer = BufWriter::with_capacity(1 << 16, file);
            write_households(&mut writer, count, seed)
                .and_then(|s| writer.flush().map(|()| s))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?
        }
        None => {
            let mut writer = BufWriter::with_capacity(1 << 16, io::stdout().lock());
            write_households(&mut writer, count, seed)
                .and_then(|s| writer.flush().map(|()| s))
                .map_err(|e| format!("cannot write to standard output: {e}"))?
        }
    };
    eprintln!(
        "generated {} households, {} members in {:.2} s",
        summary.households,
        summary.members,
        started.elapsed().as_secs_f64()
    );
    Ok(summary)
}

// ---------------------------------------------------------------------------------------
// Reference tables
// ---------------------------------------------------------------------------------------

/// Liaoning's 15 provincial key counties for poverty alleviation (省级扶贫开发工作重点县):
/// their villages get the most households.
const KEY_COUNTIES: [&str; 15] = [
    "210123", // 康平县
    "210323", // 岫岩满族自治县
    "210422", // 新宾满族自治县
    "210423", // 清原满族自治县
    "210727", // 义县
    "210921", // 阜新蒙古族自治县
    "210922", // 彰武县
    "211223", // 西丰县
    "211224", // 昌图县
    "211321", // 朝阳县
    "211322", // 建平县
    "211324", // 喀喇沁左翼蒙古族自治县
    "211381", // 北票市
    "211382", // 凌源市
    "211422", // 建昌县
];
/// Fuxin, Tieling, Chaoyang and Huludao: the poorer north and west, more households.
const POOR_CITIES: [&str; 4] = ["2109", "2112", "2113", "2114"];
const KEY_COUNTY_WEIGHT: u64 = 6;
const POOR_CITY_WEIGHT: u64 = 3;

const MANCHU_AUTONOMOUS: [&str; 6] = ["210323", "210422", "210423", "210521", "210522", "210624"];
const MONGOL_AUTONOMOUS: [&str; 2] = ["210921", "211324"];

const HAN: &str = "汉族";
const MANCHU: &str = "满族";
const MONGOL: &str = "蒙古族";
const HUI: &str = "回族";
const KOREAN: &str = "朝鲜族";
const XIBE: &str = "锡伯族";

type Table<T> = &'static [(T, u32)];

/// Ethnic make-up of the rural population (per mille), by kind of county. Province-wide
/// about 84 % Han, 13 % Manchu, 1.6 % Mongol, 0.6 % Hui, 0.6 % Korean, 0.3 % Xibe.
const ETHNIC_MANCHU_COUNTY: Table<&str> = &[
    (HAN, 420),
    (MANCHU, 560),
    (KOREAN, 8),
    (HUI, 7),
    (MONGOL, 5),
];
const ETHNIC_MONGOL_COUNTY: Table<&str> = &[
    (HAN, 730),
    (MONGOL, 200),
    (MANCHU, 55),
    (HUI, 12),
    (XIBE, 3),
];
/// Fuxin and Chaoyang.
const ETHNIC_WEST: Table<&str> = &[(HAN, 875), (MONGOL, 70), (MANCHU, 45), (HUI, 9), (XIBE, 1)];
/// Fushun, Benxi and Dandong.
const ETHNIC_EAST: Table<&str> = &[
    (HAN, 720),
    (MANCHU, 260),
    (KOREAN, 12),
    (HUI, 6),
    (MONGOL, 2),
];
/// Shenyang and Tieling (the Xibe live around Shenyang and Kaiyuan).
const ETHNIC_NORTH: Table<&str> = &[
    (HAN, 880),
    (MANCHU, 85),
    (XIBE, 12),
    (KOREAN, 10),
    (MONGOL, 7),
    (HUI, 6),
];
const ETHNIC_OTHER: Table<&str> = &[
    (HAN, 880),
    (MANCHU, 95),
    (MONGOL, 10),
    (HUI, 8),
    (KOREAN, 4),
    (XIBE, 3),
];

fn ethnic_profile(county: &str) -> Table<&'static str> {
    if MANCHU_AUTONOMOUS.contains(&county) {
        ETHNIC_MANCHU_COUNTY
    } else if MONGOL_AUTONOMOUS.contains(&county) {
        ETHNIC_MONGOL_COUNTY
    } else {
        match &county[..4] {
            "2109" | "2113" => ETHNIC_WEST,
            "2104" | "2105" | "2106" => ETHNIC_EAST,
            "2101" | "2112" => ETHNIC_NORTH,
            _ => ETHNIC_OTHER,
        }
    }
}

/// Common surnames in rural Liaoning, weighted roughly by frequency.
const SURNAMES: Table<&str> = &[
    ("王", 80),
    ("李", 75),
    ("张", 70),
    ("刘", 65),
    ("赵", 35),
    ("杨", 30),
    ("孙", 30),
    ("于", 25),
    ("陈", 25),
    ("高", 22),
    ("马", 20),
    ("徐", 18),
    ("郭", 17),
    ("宋", 15),
    ("韩", 15),
    ("吴", 14),
    ("董", 13),
    ("周", 13),
    ("曲", 10),
    ("姜", 10),
    ("付", 9),
    ("田", 9),
    ("石", 8),
    ("白", 8),
    ("郑", 8),
    ("侯", 7),
    ("许", 7),
    ("冯", 7),
    ("黄", 7),
    ("胡", 7),
    ("朱", 7),
    ("崔", 7),
    ("林", 6),
    ("孟", 6),
    ("关", 6),
    ("吕", 6),
    ("魏", 6),
    ("齐", 5),
    ("常", 5),
    ("邵", 5),
    ("丁", 5),
    ("范", 5),
    ("苏", 5),
    ("程", 5),
    ("袁", 5),
    ("金", 5),
    ("唐", 5),
    ("梁", 5),
    ("任", 5),
    ("何", 5),
    ("邢", 5),
    ("鲁", 4),
    ("潘", 4),
    ("谷", 4),
    ("姚", 4),
    ("尹", 4),
    ("薛", 4),
    ("邓", 4),
    ("谢", 4),
    ("罗", 4),
    ("佟", 3),
    ("隋", 3),
    ("方", 3),
    ("秦", 3),
    ("蔡", 3),
    ("彭", 3),
];
const MANCHU_SURNAMES: Table<&str> = &[
    ("关", 20),
    ("佟", 15),
    ("赵", 12),
    ("金", 10),
    ("那", 8),
    ("富", 6),
    ("吴", 6),
    ("何", 5),
    ("傅", 5),
    ("肇", 3),
    ("索", 3),
    ("郎", 3),
];
const MONGOL_SURNAMES: Table<&str> = &[
    ("白", 20),
    ("包", 18),
    ("韩", 12),
    ("吴", 10),
    ("宝", 8),
    ("鲍", 6),
    ("何", 5),
    ("陈", 5),
    ("乌", 3),
];
const HUI_SURNAMES: Table<&str> = &[
    ("马", 30),
    ("杨", 10),
    ("白", 8),
    ("丁", 6),
    ("沙", 4),
    ("穆", 4),
    ("回", 3),
    ("海", 3),
];
const KOREAN_SURNAMES: Table<&str> = &[
    ("金", 30),
    ("李", 20),
    ("朴", 18),
    ("崔", 10),
    ("郑", 8),
    ("姜", 5),
    ("权", 3),
    ("全", 3),
];
const XIBE_SURNAMES: Table<&str> = &[
    ("关", 15),
    ("吴", 12),
    ("何", 10),
    ("韩", 8),
    ("佟", 8),
    ("安", 5),
    ("胡", 4),
];

/// Given-name characters by sex and generation (born before 1975, before 2000, later).
const MALE_OLD: &[&str] = &[
    "国", "建", "德", "福", "贵", "宝", "文", "明", "成", "庆", "玉", "永", "俊", "海", "春", "志",
    "军", "林", "财", "山", "长", "金", "树", "振", "忠", "发", "启", "万", "友", "学", "广", "有",
];
const MALE_MIDDLE: &[&str] = &[
    "伟", "强", "磊", "勇", "军", "涛", "斌", "鹏", "辉", "刚", "杰", "峰", "超", "亮", "东", "宇",
    "波", "鑫", "晓", "新", "龙", "飞", "阳", "明",
];
const MALE_NEW: &[&str] = &[
    "浩", "宇", "轩", "子", "博", "俊", "豪", "睿", "泽", "晨", "一", "航", "铭", "宸", "瑞", "文",
    "天", "嘉", "凯", "然",
];
const FEMALE_OLD: &[&str] = &[
    "淑", "秀", "凤", "兰", "桂", "玉", "英", "珍", "芝", "荣", "华", "琴", "霞", "梅", "芬", "素",
    "翠", "云", "春", "丽", "香", "娥",
];
const FEMALE_MIDDLE: &[&str] = &[
    "丽", "艳", "静", "敏", "燕", "娜", "红", "霞", "娟", "玲", "婷", "雪", "莉", "晶", "洁", "颖",
    "慧", "丹",
];
const FEMALE_NEW: &[&str] = &[
    "欣", "怡", "梓", "涵", "雨", "萱", "佳", "诗", "子", "可", "悦", "琪", "婉", "思", "晨", "一",
    "馨", "妍",
];

/// Mobile prefixes of the three carriers.
const MOBILE_PREFIXES: &[u64] = &[
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159, 176,
    177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 199,
];

// ---------------------------------------------------------------------------------------
// Enumerations (the English values of the import layout)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    Head,
    Spouse,
    Son,
    Daughter,
    DaughterInLaw,
    SonInLaw,
    Grandson,
    Granddaughter,
    Father,
    Mother,
    Sibling,
}

impl Relation {
    fn as_str(self) -> &'static str {
        match self {
            Relation::Head => "head",
            Relation::Spouse => "spouse",
            Relation::Son => "son",
            Relation::Daughter => "daughter",
            Relation::DaughterInLaw => "daughter_in_law",
            Relation::SonInLaw => "son_in_law",
            Relation::Grandson => "grandson",
            Relation::Granddaughter => "granddaughter",
            Relation::Father => "father",
            Relation::Mother => "mother",
            Relation::Sibling => "sibling",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Health {
    Healthy,
    Chronic,
    Serious,
    Disabled,
}

impl Health {
    fn as_str(self) -> &'static str {
        match self {
            Health::Healthy => "healthy",
            Health::Chronic => "chronic_illness",
            Health::Serious => "serious_illness",
            Health::Disabled => "disabled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    Illness,
    Disability,
    Schooling,
    Disaster,
    LackOfLand,
    LackOfWater,
    LackOfSkills,
    LackOfLabor,
    LackOfCapital,
    PoorTransport,
    LackOfMotivation,
    Other,
}

impl Cause {
    fn as_str(self) -> &'static str {
        match self {
            Cause::Illness => "illness",
            Cause::Disability => "disability",
            Cause::Schooling => "schooling",
            Cause::Disaster => "disaster",
            Cause::LackOfLand => "lack_of_land",
            Cause::LackOfWater => "lack_of_water",
            Cause::LackOfSkills => "lack_of_skills",
            Cause::LackOfLabor => "lack_of_labor",
            Cause::LackOfCapital => "lack_of_capital",
            Cause::PoorTransport => "poor_transport",
            Cause::LackOfMotivation => "lack_of_motivation",
            Cause::Other => "other",
        }
    }
}

/// Main causes of poverty as the registry recorded them (illness about four in ten).
const CAUSES: Table<Cause> = &[
    (Cause::Illness, 420),
    (Cause::LackOfCapital, 140),
    (Cause::LackOfSkills, 110),
    (Cause::LackOfLabor, 100),
    (Cause::Disability, 90),
    (Cause::Schooling, 40),
    (Cause::Disaster, 30),
    (Cause::LackOfLand, 20),
    (Cause::LackOfMotivation, 20),
    (Cause::LackOfWater, 10),
    (Cause::PoorTransport, 10),
    (Cause::Other, 10),
];

const HOUSEHOLD_TYPES: Table<&str> = &[("general", 580), ("dibao_poor", 300), ("dibao", 120)];
const STANDARDS: Table<&str> = &[("national", 850), ("provincial", 120), ("municipal", 30)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Poor,
    Exited,
    AtRisk,
}

const STATUSES: Table<Status> = &[
    (Status::Poor, 640),
    (Status::Exited, 290),
    (Status::AtRisk, 70),
];
const EXIT_YEARS: Table<u32> = &[(2016, 22), (2017, 26), (2018, 24), (2019, 18), (2020, 10)];

const SIZES: Table<usize> = &[(1, 130), (2, 300), (3, 240), (4, 180), (5, 100), (6, 50)];
const HEAD_AGES: Table<(u32, u32)> = &[
    ((30, 39), 8),
    ((40, 49), 18),
    ((50, 59), 27),
    ((60, 69), 28),
    ((70, 80), 19),
];

/// Educational attainment of adults, by age band.
const EDUCATION_YOUNG: Table<&str> = &[
    ("illiterate", 10),
    ("primary", 200),
    ("junior_secondary", 550),
    ("senior_secondary", 130),
    ("vocational", 60),
    ("college", 50),
];
const EDUCATION_MIDDLE: Table<&str> = &[
    ("illiterate", 80),
    ("primary", 420),
    ("junior_secondary", 400),
    ("senior_secondary", 80),
    ("vocational", 10),
    ("college", 10),
];
const EDUCATION_OLD: Table<&str> = &[
    ("illiterate", 350),
    ("primary", 500),
    ("junior_secondary", 130),
    ("senior_secondary", 20),
];

const HEALTH_CHILD: Table<Health> = &[
    (Health::Healthy, 950),
    (Health::Chronic, 20),
    (Health::Serious, 10),
    (Health::Disabled, 20),
];
const HEALTH_ADULT: Table<Health> = &[
    (Health::Healthy, 760),
    (Health::Chronic, 110),
    (Health::Serious, 50),
    (Health::Disabled, 80),
];
const HEALTH_MIDDLE: Table<Health> = &[
    (Health::Healthy, 480),
    (Health::Chronic, 330),
    (Health::Serious, 90),
    (Health::Disabled, 100),
];
const HEALTH_OLD: Table<Health> = &[
    (Health::Healthy, 270),
    (Health::Chronic, 480),
    (Health::Serious, 120),
    (Health::Disabled, 130),
];

// ---------------------------------------------------------------------------------------
// ID numbers
// ---------------------------------------------------------------------------------------

/// GB 11643-1999 weights of the first 17 digits and check character by remainder.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Sequence numbers per county, birth date and sex: women get the even numbers 002-998,
/// men the odd numbers 001-997 (499 each; 000 and 999 are not issued).
const SLOTS: u16 = 499;

fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

/// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hands out ID numbers that are unique by construction.
///
/// An ID number is county (6) + birth date (8) + sequence (3) + check digit. The allocator
/// keeps one counter per (county, birth date, sex): the `k`-th person of that triple gets
/// sequence slot `(k * stride + offset) mod 499`, a bijection on `0..499` (499 is prime and
/// `stride` is not a multiple of it), so slots never repeat and numbers look scattered
/// rather than 001, 003, .... When a day is full the person is moved to the next day of
/// the same year with a free slot, which keeps their age. Memory is one `u16` per county,
/// day and sex (about 15 MB at most, allocated zeroed so untouched pages cost nothing),
/// whatever the number of households.
struct IdAllocator {
    seed: u64,
    /// Day index (from 1 January [`FIRST_BIRTH_YEAR`]) of 1 January of each year, and one
    /// past the last day.
    year_start: [u32; YEARS + 1],
    used: Vec<u16>,
}

impl IdAllocator {
    fn new(seed: u64, counties: usize) -> Self {
        let mut year_start = [0u32; YEARS + 1];
        let mut day = 0;
        for (i, start) in year_start.iter_mut().enumerate() {
            *start = day;
            day += if is_leap(FIRST_BIRTH_YEAR + i as i32) {
                366
            } else {
                365
            };
        }
        let days = year_start[YEARS] as usize;
        Self {
            seed,
            year_start,
            used: vec![0; counties * days * 2],
        }
    }

    fn days_in_year(&self, year: i32) -> u32 {
        let i = (year - FIRST_BIRTH_YEAR) as usize;
        self.year_start[i + 1] - self.year_start[i]
    }

    /// The ID number of a person registered in `county` (its index and code), born on day
    /// `day_of_year` (0-based) of `year` or, if that day is full, a later day of that year.
    fn allocate(
        &mut self,
        county: usize,
        county_code: &[u8; 6],
        year: i32,
        day_of_year: u32,
        male: bool,
    ) -> io::Result<[u8; 18]> {
        let days = self.year_start[YEARS] as usize;
        let start = self.year_start[(year - FIRST_BIRTH_YEAR) as usize];
        let len = self.days_in_year(year);
        for k in 0..len {
            let doy = (day_of_year + k) % len;
            let slot = (county * days + (start + doy) as usize) * 2 + usize::from(male);
            let taken = self.used[slot];
            if taken >= SLOTS {
                continue;
            }
            self.used[slot] = taken + 1;
            let h = mix(self.seed ^ mix(slot as u64));
            let offset = h % u64::from(SLOTS);
            let stride = 1 + (h >> 32) % u64::from(SLOTS - 1);
            let index = (u64::from(taken) * stride + offset) % u64::from(SLOTS);
            let sequence = if male { 2 * index + 1 } else { 2 * index + 2 };
            let date = NaiveDate::from_yo_opt(year, doy + 1)
                .ok_or_else(|| io::Error::other("birth date out of range"))?;
            let mut id = [b'0'; 18];
            id[..6].copy_from_slice(county_code);
            put_digits(&mut id[6..10], date.year() as u64);
            put_digits(&mut id[10..12], u64::from(date.month()));
            put_digits(&mut id[12..14], u64::from(date.day()));
            put_digits(&mut id[14..17], sequence);
            id[17] = check_char(&id[..17]);
            return Ok(id);
        }
        Err(io::Error::other(format!(
            "too many people born in {year} in county {}: ID numbers exhausted; \
             generate fewer households",
            String::from_utf8_lossy(county_code)
        )))
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Writes `n` right-aligned and zero-padded into `dst`.
fn put_digits(dst: &mut [u8], mut n: u64) {
    for d in dst.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

// ---------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Village {
    code: [u8; 12],
    county: usize,
}

#[derive(Debug, Clone, Copy)]
struct County {
    code: [u8; 6],
    ethnic: Table<&'static str>,
}

#[derive(Debug, Clone, Copy)]
struct Member {
    relation: Relation,
    male: bool,
    age: u32,
    surname: &'static str,
    given: [&'static str; 2],
    ethnicity: &'static str,
    education: &'static str,
    schooling: &'static str,
    health: Health,
    work: &'static str,
    migrant: bool,
    rural_medical: bool,
    rural_pension: bool,
    dibao: bool,
    critical_illness: bool,
    phone: Option<u64>,
    id: [u8; 18],
}

const BLANK: Member = Member {
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
    fn is_student(&self) -> bool {
        !matches!(self.schooling, "none" | "preschool")
    }
}

struct Generator {
    rng: Xoshiro256PlusPlus,
    villages: Vec<Village>,
    /// The villages registered as poor villages (indexes into `villages`), chosen by weight;
    /// about 95% of households live in one of them, the rest are scattered (插花贫困户).
    poor: Vec<usize>,
    /// Running total of the villages' weights, for picking one by binary search.
    cumulative: Vec<u64>,
    /// Households generated so far per village (the household number's sequence).
    village_households: Vec<u32>,
    counties: Vec<County>,
    ids: IdAllocator,
    members: [Member; MAX_MEMBERS],
    len: usize,
    /// The CSV rows of the current household.
    line: Vec<u8>,
}

impl Generator {
    fn new(seed: u64, count: u64) -> io::Result<Self> {
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

    fn chance(&mut self, per_mille: u32) -> bool {
        self.rng.random_range(0..1000u32) < per_mille
    }

    fn between(&mut self, low: u32, high: u32) -> u32 {
        self.rng.random_range(low..=high)
    }

    fn pick<T: Copy>(&mut self, table: Table<T>) -> T {
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

    fn surname(&mut self, ethnicity: &'static str) -> &'static str {
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

    fn given_name(&mut self, male: bool, age: u32) -> [&'static str; 2] {
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

    fn push(
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
    fn compose(&mut self, profile: Table<&'static str>) {
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
    fn describe_members(&mut self) {
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
    fn finish_members(&mut self, dibao_household: bool) {
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
    fn match_cause(&mut self, cause: Cause) {
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
    fn household(&mut self) -> io::Result<()> {
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

fn push_bool(line: &mut Vec<u8>, value: bool) {
    line.extend_from_slice(if value { b"true" } else { b"false" });
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_number(line: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while n > 0 || digits.len() - start < width.max(1) {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    line.extend_from_slice(&digits[start..]);
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use domain::identity::{IdCardNumber, PersonName, PhoneNumber};

    use super::*;

    fn generate(count: u64, seed: u64) -> (Vec<u8>, GenSummary) {
        let mut out = Vec::new();
        let summary = write_households(&mut out, count, seed).expect("generate");
        (out, summary)
    }

    #[test]
    fn same_seed_same_bytes_and_other_seeds_differ() {
        let (a, sa) = generate(500, 42);
        let (b, sb) = generate(500, 42);
        assert_eq!(a, b);
        assert_eq!(sa, sb);
        let (c, _) = generate(500, 43);
        assert_ne!(a, c);
        // A longer file starts with the shorter one: households are streamed in order.
        let (d, _) = generate(600, 42);
        assert!(d.starts_with(&a));
    }

    #[test]
    fn header_is_the_documented_column_list() {
        let doc = include_str!("../../docs/registry-csv.md");
        let documented: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .collect();
        assert_eq!(documented, COLUMNS);
        let (out, _) = generate(0, 1);
        assert_eq!(out, format!("{}\n", COLUMNS.join(",")).into_bytes());
    }

    #[test]
    fn push_number_pads_and_extends() {
        let mut v = Vec::new();
        push_number(&mut v, 7, 4);
        v.push(b' ');
        push_number(&mut v, 12345, 4);
        v.push(b' ');
        push_number(&mut v, 0, 1);
        v.push(b' ');
        push_number(&mut v, 13812345678, 11);
        assert_eq!(v, b"0007 12345 0 13812345678");
    }

    #[test]
    fn id_allocator_never_repeats_and_keeps_the_birth_year() {
        let mut ids = IdAllocator::new(9, 1);
        let mut seen = HashSet::new();
        // Far more men born on one day than one day's 499 sequence numbers.
        for _ in 0..1_500 {
            let id = ids.allocate(0, b"210921", 1980, 40, true).expect("slot");
            let s = std::str::from_utf8(&id).expect("ascii");
            let parsed = IdCardNumber::parse(s).expect("valid");
            assert_eq!(parsed.birth_date().year(), 1980);
            assert_eq!(parsed.region_prefix(), "210921");
            assert_eq!(parsed.sex().as_str(), "male");
            assert!(seen.insert(id), "duplicate {s}");
        }
        // The first 499 are all on the requested day (10 February 1980).
        let mut fresh = IdAllocator::new(9, 1);
        for _ in 0..499 {
            let id = fresh.allocate(0, b"210921", 1980, 40, false).expect("slot");
            assert_eq!(&id[6..14], b"19800210");
            assert_eq!((id[16] - b'0') % 2, 0);
        }
        let next = fresh.allocate(0, b"210921", 1980, 40, false).expect("slot");
        assert_eq!(&next[6..14], b"19800211");
        // A whole year of one sex in one county: 365 * 499 numbers, then an error.
        let mut full = IdAllocator::new(1, 1);
        for i in 0..365 * 499 {
            full.allocate(0, b"211224", 1981, i % 365, true)
                .expect("slot");
        }
        assert!(full.allocate(0, b"211224", 1981, 0, true).is_err());
        assert!(full.allocate(0, b"211224", 1981, 0, false).is_ok());
    }

    /// One parsed household row.
    struct Row<'a> {
        cols: Vec<&'a str>,
    }

    impl<'a> Row<'a> {
        fn get(&self, column: &str) -> &'a str {
            let i = COLUMNS
                .iter()
                .position(|c| *c == column)
                .expect("known column");
            self.cols[i]
        }
    }

    #[test]
    fn a_generated_file_is_importable() {
        let (out, summary) = generate(2_000, 7);
        assert_eq!(summary.households, 2_000);
        let text = std::str::from_utf8(&out).expect("utf-8");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(COLUMNS.join(",").as_str()));
        let villages: HashSet<String> = liaoning_divisions()
            .expect("reference")
            .into_iter()
            .filter(|r| r.level() == RegionLevel::Village)
            .map(|r| r.code.as_str().to_owned())
            .collect();
        let today = NaiveDate::from_ymd_opt(REFERENCE_YEAR, 12, 31).expect("date");

        let mut households: HashSet<&str> = HashSet::new();
        let mut ids: HashSet<&str> = HashSet::new();
        let mut heads: HashMap<&str, usize> = HashMap::new();
        let mut members = 0u64;
        let mut current = "";
        let mut village = "";
        let mut head_birth: Option<NaiveDate> = None;
        let mut size = 0;
        let mut statuses: HashMap<&str, usize> = HashMap::new();
        let mut ethnicities: HashMap<&str, usize> = HashMap::new();
        for line in lines {
            let row = Row {
                cols: line.split(',').collect(),
            };
            assert_eq!(row.cols.len(), COLUMNS.len(), "{line}");
            members += 1;
            let number = row.get("household_number");
            if number != current {
                // A household's first row carries every household column.
                assert!(households.insert(number), "household {number} repeated");
                assert!((1..=6).contains(&size) || current.is_empty());
                current = number;
                village = row.get("region_code");
                size = 0;
                assert!(villages.contains(village), "no village {village}");
                assert!(number.starts_with(village) && number.len() == 16);
                for column in &COLUMNS[2..HOUSEHOLD_COLUMNS] {
                    if !matches!(*column, "secondary_causes" | "exit_year") {
                        assert!(!row.get(column).is_empty(), "{column} empty in {line}");
                    }
                }
                let main = row.get("main_cause");
                let secondary: Vec<&str> = row
                    .get("secondary_causes")
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .collect();
                assert!(secondary.len() <= 2);
                assert!(!secondary.contains(&main));
                if secondary.len() == 2 {
                    assert_ne!(secondary[0], secondary[1]);
                }
                let income: u32 = row.get("income_per_person_fen").parse().expect("fen");
                assert!((150_000..=600_000).contains(&income), "{income}");
                let status = row.get("status");
                *statuses.entry(status).or_default() += 1;
                if status == "poor" {
                    assert!(row.get("exit_year").is_empty());
                    assert!(income <= POVERTY_LINE_FEN);
                } else {
                    let year: u32 = row.get("exit_year").parse().expect("exit year");
                    assert!((2016..=2020).contains(&year));
                    assert!(income > POVERTY_LINE_FEN);
                    for column in &COLUMNS[8..15] {
                        assert_eq!(row.get(column), "true", "{column} of {number}");
                    }
                }
                // The head comes first.
                assert_eq!(row.get("member_relation"), "head", "{line}");
            } else {
                // Later rows leave the household columns empty.
                assert!(
                    row.cols[..HOUSEHOLD_COLUMNS]
                        .iter()
                        .skip(1)
                        .all(|c| c.is_empty())
                );
            }
            size += 1;
            assert!(size <= 6);

            let relation = row.get("member_relation");
            if relation == "head" {
                *heads.entry(number).or_default() += 1;
            }
            let id_text = row.get("member_id_number");
            let id = IdCardNumber::parse(id_text).expect("valid ID number");
            assert_eq!(id.region_prefix(), &village[..6], "{line}");
            assert!(ids.insert(id_text), "ID {id_text} repeated");
            assert_eq!(id.sex().as_str(), row.get("member_sex"), "{line}");
            let age = id.age_on(today).expect("born");
            match relation {
                "head" => {
                    assert!((30..=80).contains(&age), "head aged {age}");
                    head_birth = Some(id.birth_date());
                }
                "son" | "daughter" => {
                    let head = head_birth.expect("head first");
                    assert!(
                        id.birth_date().years_since(head).is_some_and(|y| y >= 18),
                        "{line}"
                    );
                }
                "father" | "mother" => {
                    let head = head_birth.expect("head first");
                    assert!(head.years_since(id.birth_date()).is_some_and(|y| y >= 18));
                }
                _ => {}
            }
            if age < 6 {
                assert_eq!(row.get("member_education"), "preschool");
            }
            if age < 16 {
                assert_eq!(row.get("member_work_capacity"), "none");
            }
            PersonName::parse(row.get("member_name")).expect("valid name");
            let phone = row.get("member_phone");
            if !phone.is_empty() {
                PhoneNumber::parse(phone).expect("valid phone");
                assert_eq!(phone.len(), 11);
            }
            *ethnicities.entry(row.get("member_ethnicity")).or_default() += 1;
        }
        assert_eq!(members, summary.members);
        assert_eq!(households.len(), 2_000);
        assert_eq!(heads.len(), 2_000);
        assert!(heads.values().all(|&n| n == 1));
        assert_eq!(ids.len() as u64, summary.members);
        // Mostly poor, some exited, a few at risk; mostly Han with Manchu and Mongol.
        assert!(statuses["poor"] > statuses["exited"]);
        assert!(statuses["exited"] > statuses["at_risk"]);
        assert!(ethnicities[HAN] as u64 > summary.members / 2);
        assert!(ethnicities[MANCHU] > 0 && ethnicities[MONGOL] > 0);
    }

    #[test]
    fn households_lean_toward_the_key_counties() {
        let (out, _) = generate(3_000, 3);
        let text = std::str::from_utf8(&out).expect("utf-8");
        let firsts: Vec<&str> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).expect("region column"))
            .filter(|c| !c.is_empty())
            .collect();
        let key = firsts
            .iter()
            .filter(|c| KEY_COUNTIES.contains(&&c[..6]))
            .count();
        // About 3,700 of 11,700 villages, weighted 6 against 3 and 1: over half the households.
        assert!(key * 2 > firsts.len(), "{key} of {}", firsts.len());
    }
}
