//! The distributions the generator draws from: where households live, ethnic groups and
//! names by county, causes, household types, ages, education and health.

// ---------------------------------------------------------------------------------------
// Reference tables
// ---------------------------------------------------------------------------------------

/// Liaoning's 15 provincial key counties for poverty alleviation (省级扶贫开发工作重点县):
/// their villages get the most households.
pub(super) const KEY_COUNTIES: [&str; 15] = [
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
pub(super) const POOR_CITIES: [&str; 4] = ["2109", "2112", "2113", "2114"];
pub(super) const KEY_COUNTY_WEIGHT: u64 = 6;
pub(super) const POOR_CITY_WEIGHT: u64 = 3;

pub(super) const MANCHU_AUTONOMOUS: [&str; 6] =
    ["210323", "210422", "210423", "210521", "210522", "210624"];
pub(super) const MONGOL_AUTONOMOUS: [&str; 2] = ["210921", "211324"];

pub(super) const HAN: &str = "汉族";
pub(super) const MANCHU: &str = "满族";
pub(super) const MONGOL: &str = "蒙古族";
pub(super) const HUI: &str = "回族";
pub(super) const KOREAN: &str = "朝鲜族";
pub(super) const XIBE: &str = "锡伯族";

pub(super) type Table<T> = &'static [(T, u32)];

/// Ethnic make-up of the rural population (per mille), by kind of county. Province-wide
/// about 84 % Han, 13 % Manchu, 1.6 % Mongol, 0.6 % Hui, 0.6 % Korean, 0.3 % Xibe.
pub(super) const ETHNIC_MANCHU_COUNTY: Table<&str> = &[
    (HAN, 420),
    (MANCHU, 560),
    (KOREAN, 8),
    (HUI, 7),
    (MONGOL, 5),
];
pub(super) const ETHNIC_MONGOL_COUNTY: Table<&str> = &[
    (HAN, 730),
    (MONGOL, 200),
    (MANCHU, 55),
    (HUI, 12),
    (XIBE, 3),
];
/// Fuxin and Chaoyang.
pub(super) const ETHNIC_WEST: Table<&str> =
    &[(HAN, 875), (MONGOL, 70), (MANCHU, 45), (HUI, 9), (XIBE, 1)];
/// Fushun, Benxi and Dandong.
pub(super) const ETHNIC_EAST: Table<&str> = &[
    (HAN, 720),
    (MANCHU, 260),
    (KOREAN, 12),
    (HUI, 6),
    (MONGOL, 2),
];
/// Shenyang and Tieling (the Xibe live around Shenyang and Kaiyuan).
pub(super) const ETHNIC_NORTH: Table<&str> = &[
    (HAN, 880),
    (MANCHU, 85),
    (XIBE, 12),
    (KOREAN, 10),
    (MONGOL, 7),
    (HUI, 6),
];
pub(super) const ETHNIC_OTHER: Table<&str> = &[
    (HAN, 880),
    (MANCHU, 95),
    (MONGOL, 10),
    (HUI, 8),
    (KOREAN, 4),
    (XIBE, 3),
];

pub(super) fn ethnic_profile(county: &str) -> Table<&'static str> {
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
pub(super) const SURNAMES: Table<&str> = &[
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
pub(super) const MANCHU_SURNAMES: Table<&str> = &[
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
pub(super) const MONGOL_SURNAMES: Table<&str> = &[
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
pub(super) const HUI_SURNAMES: Table<&str> = &[
    ("马", 30),
    ("杨", 10),
    ("白", 8),
    ("丁", 6),
    ("沙", 4),
    ("穆", 4),
    ("回", 3),
    ("海", 3),
];
pub(super) const KOREAN_SURNAMES: Table<&str> = &[
    ("金", 30),
    ("李", 20),
    ("朴", 18),
    ("崔", 10),
    ("郑", 8),
    ("姜", 5),
    ("权", 3),
    ("全", 3),
];
pub(super) const XIBE_SURNAMES: Table<&str> = &[
    ("关", 15),
    ("吴", 12),
    ("何", 10),
    ("韩", 8),
    ("佟", 8),
    ("安", 5),
    ("胡", 4),
];

/// Given-name characters by sex and generation (born before 1975, before 2000, later).
pub(super) const MALE_OLD: &[&str] = &[
    "国", "建", "德", "福", "贵", "宝", "文", "明", "成", "庆", "玉", "永", "俊", "海", "春", "志",
    "军", "林", "财", "山", "长", "金", "树", "振", "忠", "发", "启", "万", "友", "学", "广", "有",
];
pub(super) const MALE_MIDDLE: &[&str] = &[
    "伟", "强", "磊", "勇", "军", "涛", "斌", "鹏", "辉", "刚", "杰", "峰", "超", "亮", "东", "宇",
    "波", "鑫", "晓", "新", "龙", "飞", "阳", "明",
];
pub(super) const MALE_NEW: &[&str] = &[
    "浩", "宇", "轩", "子", "博", "俊", "豪", "睿", "泽", "晨", "一", "航", "铭", "宸", "瑞", "文",
    "天", "嘉", "凯", "然",
];
pub(super) const FEMALE_OLD: &[&str] = &[
    "淑", "秀", "凤", "兰", "桂", "玉", "英", "珍", "芝", "荣", "华", "琴", "霞", "梅", "芬", "素",
    "翠", "云", "春", "丽", "香", "娥",
];
pub(super) const FEMALE_MIDDLE: &[&str] = &[
    "丽", "艳", "静", "敏", "燕", "娜", "红", "霞", "娟", "玲", "婷", "雪", "莉", "晶", "洁", "颖",
    "慧", "丹",
];
pub(super) const FEMALE_NEW: &[&str] = &[
    "欣", "怡", "梓", "涵", "雨", "萱", "佳", "诗", "子", "可", "悦", "琪", "婉", "思", "晨", "一",
    "馨", "妍",
];

/// Mobile prefixes of the three carriers.
pub(super) const MOBILE_PREFIXES: &[u64] = &[
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159, 176,
    177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 199,
];

// ---------------------------------------------------------------------------------------
// Enumerations (the English values of the import layout)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relation {
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
    pub(super) fn as_str(self) -> &'static str {
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
pub(super) enum Health {
    Healthy,
    Chronic,
    Serious,
    Disabled,
}

impl Health {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Health::Healthy => "healthy",
            Health::Chronic => "chronic_illness",
            Health::Serious => "serious_illness",
            Health::Disabled => "disabled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
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
    pub(super) fn as_str(self) -> &'static str {
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
pub(super) const CAUSES: Table<Cause> = &[
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

pub(super) const HOUSEHOLD_TYPES: Table<&str> =
    &[("general", 580), ("dibao_poor", 300), ("dibao", 120)];
pub(super) const STANDARDS: Table<&str> =
    &[("national", 850), ("provincial", 120), ("municipal", 30)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Poor,
    Exited,
    AtRisk,
}

pub(super) const STATUSES: Table<Status> = &[
    (Status::Poor, 640),
    (Status::Exited, 290),
    (Status::AtRisk, 70),
];
pub(super) const EXIT_YEARS: Table<u32> =
    &[(2016, 22), (2017, 26), (2018, 24), (2019, 18), (2020, 10)];

pub(super) const SIZES: Table<usize> = &[(1, 130), (2, 300), (3, 240), (4, 180), (5, 100), (6, 50)];
pub(super) const HEAD_AGES: Table<(u32, u32)> = &[
    ((30, 39), 8),
    ((40, 49), 18),
    ((50, 59), 27),
    ((60, 69), 28),
    ((70, 80), 19),
];

/// Educational attainment of adults, by age band.
pub(super) const EDUCATION_YOUNG: Table<&str> = &[
    ("illiterate", 10),
    ("primary", 200),
    ("junior_secondary", 550),
    ("senior_secondary", 130),
    ("vocational", 60),
    ("college", 50),
];
pub(super) const EDUCATION_MIDDLE: Table<&str> = &[
    ("illiterate", 80),
    ("primary", 420),
    ("junior_secondary", 400),
    ("senior_secondary", 80),
    ("vocational", 10),
    ("college", 10),
];
pub(super) const EDUCATION_OLD: Table<&str> = &[
    ("illiterate", 350),
    ("primary", 500),
    ("junior_secondary", 130),
    ("senior_secondary", 20),
];

pub(super) const HEALTH_CHILD: Table<Health> = &[
    (Health::Healthy, 950),
    (Health::Chronic, 20),
    (Health::Serious, 10),
    (Health::Disabled, 20),
];
pub(super) const HEALTH_ADULT: Table<Health> = &[
    (Health::Healthy, 760),
    (Health::Chronic, 110),
    (Health::Serious, 50),
    (Health::Disabled, 80),
];
pub(super) const HEALTH_MIDDLE: Table<Health> = &[
    (Health::Healthy, 480),
    (Health::Chronic, 330),
    (Health::Serious, 90),
    (Health::Disabled, 100),
];
pub(super) const HEALTH_OLD: Table<Health> = &[
    (Health::Healthy, 270),
    (Health::Chronic, 480),
    (Health::Serious, 120),
    (Health::Disabled, 130),
];
