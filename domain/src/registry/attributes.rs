//! What the registry records about each member of a poor household: relation to the head,
//! education, current schooling, health and capacity to work.

use crate::FieldError;
use crate::identity::Sex;
use crate::labels::labelled_enum;

labelled_enum! {
    /// 与户主关系: a member's relation to the head of the household.
    pub enum Relation in "relation" {
        /// 户主
        Head = "head", "户主", ["本人"];
        /// 配偶
        Spouse = "spouse", "配偶", [];
        /// 之子
        Son = "son", "之子", ["儿子"];
        /// 之女
        Daughter = "daughter", "之女", ["女儿"];
        /// 之儿媳
        DaughterInLaw = "daughter_in_law", "之儿媳", ["儿媳"];
        /// 之女婿
        SonInLaw = "son_in_law", "之女婿", ["女婿"];
        /// 之孙子
        Grandson = "grandson", "之孙子", ["孙子"];
        /// 之孙女
        Granddaughter = "granddaughter", "之孙女", ["孙女"];
        /// 之父
        Father = "father", "之父", ["父亲"];
        /// 之母
        Mother = "mother", "之母", ["母亲"];
        /// 兄弟姐妹
        Sibling = "sibling", "兄弟姐妹", [];
        /// 其他
        Other = "other", "其他", ["其它"];
    }
}

labelled_enum! {
    /// 文化程度: the highest education a member completed.
    pub enum Education in "education" {
        /// 文盲或半文盲
        Illiterate = "illiterate", "文盲或半文盲", ["文盲", "半文盲"];
        /// 小学
        Primary = "primary", "小学", [];
        /// 初中
        JuniorSecondary = "junior_secondary", "初中", [];
        /// 高中
        SeniorSecondary = "senior_secondary", "高中", [];
        /// 中专/中职: secondary vocational school.
        Vocational = "vocational", "中专/中职", ["中专", "中职", "中专（中职）"];
        /// 大专及以上
        College = "college", "大专及以上", ["大专"];
        /// 学龄前儿童: a child not yet of school age.
        Preschool = "preschool", "学龄前儿童", [];
    }
}

labelled_enum! {
    /// 在校生状况: the school a member attends now, if any.
    pub enum Schooling in "schooling" {
        /// 非在校生
        None = "none", "非在校生", [];
        /// 学前教育
        Preschool = "preschool", "学前教育", [];
        /// 小学
        Primary = "primary", "小学", [];
        /// 初中
        JuniorSecondary = "junior_secondary", "初中", [];
        /// 高中
        SeniorSecondary = "senior_secondary", "高中", [];
        /// 中职
        Vocational = "vocational", "中职", ["中专", "中专/中职"];
        /// 高职高专及以上
        College = "college", "高职高专及以上", ["高职高专"];
    }
}

labelled_enum! {
    /// 健康状况
    pub enum Health in "health" {
        /// 健康
        Healthy = "healthy", "健康", [];
        /// 长期慢性病
        ChronicIllness = "chronic_illness", "长期慢性病", ["慢性病"];
        /// 患有大病
        SeriousIllness = "serious_illness", "患有大病", ["大病"];
        /// 残疾
        Disabled = "disabled", "残疾", [];
    }
}

labelled_enum! {
    /// 劳动技能: whether and how a member can work.
    pub enum WorkCapacity in "work_capacity" {
        /// 普通劳动力
        Ordinary = "ordinary", "普通劳动力", [];
        /// 技能劳动力
        Skilled = "skilled", "技能劳动力", [];
        /// 丧失劳动力
        Lost = "lost", "丧失劳动力", [];
        /// 无劳动力 (children, the very old)
        None = "none", "无劳动力", [];
    }
}

/// Parses a member's sex as the layout writes it: `male`/`female` or `男`/`女`.
/// ([`Sex::parse`] takes the English value only.)
pub fn parse_sex(s: &str) -> Result<Sex, FieldError> {
    let s = s.trim();
    Sex::ALL
        .into_iter()
        .find(|x| x.as_str().eq_ignore_ascii_case(s) || x.label_zh() == s)
        .ok_or_else(|| {
            FieldError::new(
                "sex",
                "unknown_value",
                format!("unknown value {s:?}; expected one of: male (男), female (女)"),
                format!("无效的取值 {s:?}；应为以下之一：male（男）、female（女）"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_follow_the_layout_document() {
        let values: Vec<(&str, &str)> = Relation::ALL
            .iter()
            .map(|r| (r.as_str(), r.label_zh()))
            .collect();
        assert_eq!(values.len(), 12);
        assert_eq!(values[0], ("head", "户主"));
        assert_eq!(values[4], ("daughter_in_law", "之儿媳"));
        assert_eq!(values[11], ("other", "其他"));
        assert_eq!(Relation::parse("之女婿"), Ok(Relation::SonInLaw));
        assert_eq!(Relation::parse("儿媳"), Ok(Relation::DaughterInLaw));
    }

    #[test]
    fn vocational_education_takes_both_spellings_of_the_label() {
        for s in ["vocational", "中专/中职", "中专", "中职"] {
            assert_eq!(Education::parse(s), Ok(Education::Vocational), "{s}");
        }
        assert_eq!(Education::Vocational.label_zh(), "中专/中职");
        assert_eq!(Schooling::parse("中职"), Ok(Schooling::Vocational));
        assert_eq!(Schooling::parse("中专"), Ok(Schooling::Vocational));
        assert_eq!(Education::parse("文盲"), Ok(Education::Illiterate));
        assert_eq!(Education::parse("大专及以上"), Ok(Education::College));
    }

    #[test]
    fn every_label_of_every_member_enum_parses() {
        for e in Education::ALL {
            assert_eq!(Education::parse(e.label_zh()), Ok(*e));
        }
        for s in Schooling::ALL {
            assert_eq!(Schooling::parse(s.label_zh()), Ok(*s));
        }
        for h in Health::ALL {
            assert_eq!(Health::parse(h.label_zh()), Ok(*h));
        }
        for w in WorkCapacity::ALL {
            assert_eq!(WorkCapacity::parse(w.label_zh()), Ok(*w));
        }
        for r in Relation::ALL {
            assert_eq!(Relation::parse(r.label_zh()), Ok(*r));
        }
        assert_eq!(Health::parse("患有大病"), Ok(Health::SeriousIllness));
        assert_eq!(WorkCapacity::parse("none"), Ok(WorkCapacity::None));
        assert_eq!(Schooling::parse("非在校生"), Ok(Schooling::None));
    }

    #[test]
    fn unknown_member_values_name_their_field() {
        let err = WorkCapacity::parse("strong").expect_err("unknown");
        assert_eq!(
            (err.field.as_str(), err.code),
            ("work_capacity", "unknown_value")
        );
        assert!(err.message_en.contains("lost (丧失劳动力)"));
        let err = Education::parse("博士").expect_err("not a layout value");
        assert_eq!(err.code, "unknown_value");
        assert!(err.message_zh.contains("college（大专及以上）"));
    }

    #[test]
    fn sex_takes_english_or_chinese() {
        assert_eq!(parse_sex("男"), Ok(Sex::Male));
        assert_eq!(parse_sex(" female "), Ok(Sex::Female));
        assert_eq!(parse_sex("Female"), Ok(Sex::Female));
        let err = parse_sex("M").expect_err("unknown");
        assert_eq!((err.field.as_str(), err.code), ("sex", "unknown_value"));
    }
}
