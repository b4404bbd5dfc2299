//! How the registry classifies a poor household: its type, the standard it was identified
//! under, and the causes of its poverty (致贫原因).

use crate::labels::labelled_enum;

labelled_enum! {
    /// 贫困户属性: the kind of household, as the registry's form records it.
    pub enum HouseholdType in "household_type" {
        /// 一般贫困户: a poor household receiving no other social assistance.
        General = "general", "一般贫困户", ["一般户"];
        /// 低保户: receives the minimum living allowance.
        Dibao = "dibao", "低保户", [];
        /// 五保户: provided for by the "five guarantees" (food, clothing, housing, medical
        /// care, burial) for elderly, disabled or orphaned people without family support.
        Wubao = "wubao", "五保户", ["特困供养户"];
        /// 低保贫困户: a poor household that also receives the minimum living allowance.
        DibaoPoor = "dibao_poor", "低保贫困户", [];
    }
}

labelled_enum! {
    /// 识别标准: which poverty line the household was identified under.
    pub enum IdentificationStandard in "identification_standard" {
        /// 国家标准
        National = "national", "国家", ["国家标准"];
        /// 省定标准
        Provincial = "provincial", "省定", ["省定标准"];
        /// 市定标准
        Municipal = "municipal", "市定", ["市定标准"];
    }
}

labelled_enum! {
    /// 致贫原因: why a household is poor. One main cause, up to two secondary ones.
    pub enum PovertyCause in "main_cause" {
        /// 因病
        Illness = "illness", "因病", [];
        /// 因残
        Disability = "disability", "因残", [];
        /// 因学
        Schooling = "schooling", "因学", [];
        /// 因灾
        Disaster = "disaster", "因灾", [];
        /// 缺土地
        LackOfLand = "lack_of_land", "缺土地", [];
        /// 缺水
        LackOfWater = "lack_of_water", "缺水", [];
        /// 缺技术
        LackOfSkills = "lack_of_skills", "缺技术", [];
        /// 缺劳力
        LackOfLabor = "lack_of_labor", "缺劳力", ["缺劳动力"];
        /// 缺资金
        LackOfCapital = "lack_of_capital", "缺资金", [];
        /// 交通条件落后
        PoorTransport = "poor_transport", "交通条件落后", ["交通落后"];
        /// 自身发展动力不足
        LackOfMotivation = "lack_of_motivation", "自身发展动力不足", ["自身发展力不足"];
        /// 其它
        Other = "other", "其它", ["其他"];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_labels_follow_the_layout_document() {
        let pairs: Vec<(&str, &str)> = HouseholdType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label_zh()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("general", "一般贫困户"),
                ("dibao", "低保户"),
                ("wubao", "五保户"),
                ("dibao_poor", "低保贫困户")
            ]
        );
        let causes: Vec<&str> = PovertyCause::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            causes,
            [
                "illness",
                "disability",
                "schooling",
                "disaster",
                "lack_of_land",
                "lack_of_water",
                "lack_of_skills",
                "lack_of_labor",
                "lack_of_capital",
                "poor_transport",
                "lack_of_motivation",
                "other"
            ]
        );
        assert_eq!(IdentificationStandard::Provincial.label_zh(), "省定");
    }

    #[test]
    fn english_values_and_chinese_labels_both_parse() {
        for t in HouseholdType::ALL {
            assert_eq!(HouseholdType::parse(t.as_str()), Ok(*t));
            assert_eq!(HouseholdType::parse(t.label_zh()), Ok(*t));
        }
        for c in PovertyCause::ALL {
            assert_eq!(PovertyCause::parse(&format!(" {} ", c.label_zh())), Ok(*c));
        }
        assert_eq!(
            HouseholdType::parse("Dibao_Poor"),
            Ok(HouseholdType::DibaoPoor)
        );
        assert_eq!(PovertyCause::parse("其他"), Ok(PovertyCause::Other));
        assert_eq!(
            PovertyCause::parse("交通落后"),
            Ok(PovertyCause::PoorTransport)
        );
        assert_eq!(
            IdentificationStandard::parse("国家标准"),
            Ok(IdentificationStandard::National)
        );
    }

    #[test]
    fn unknown_values_list_what_is_allowed() {
        let err = HouseholdType::parse("rich").expect_err("unknown");
        assert_eq!(
            (err.field.as_str(), err.code),
            ("household_type", "unknown_value")
        );
        assert!(
            err.message_en.contains("general (一般贫困户)"),
            "{}",
            err.message_en
        );
        assert!(err.message_en.contains("dibao_poor (低保贫困户)"));
        assert!(
            err.message_zh.contains("wubao（五保户）"),
            "{}",
            err.message_zh
        );
        assert_eq!(
            PovertyCause::parse("").map_err(|e| e.code),
            Err("unknown_value")
        );
    }

    #[test]
    fn display_is_the_english_value() {
        assert_eq!(PovertyCause::LackOfCapital.to_string(), "lack_of_capital");
        assert_eq!(IdentificationStandard::Municipal.to_string(), "municipal");
    }
}
