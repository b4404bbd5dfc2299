//! The words of the platform: what a need is about, whom it helps, how urgent it is, and
//! what kind of help an offer gives.

use crate::labels::labelled_enum;

labelled_enum! {
    /// 需求类别: what a need (or an offer) is about.
    pub enum NeedCategory in "category" {
        /// 教育助学: school fees, books, boarding, scholarships.
        Education = "education", "教育助学", ["助学", "教育"];
        /// 医疗救助: treatment, medicine, medical insurance contributions.
        Medical = "medical", "医疗救助", ["医疗"];
        /// 危房改造: making an unsafe house safe.
        Housing = "housing", "危房改造", ["住房"];
        /// 产业发展: livestock, seedlings, greenhouses, co-operatives.
        Production = "production", "产业发展", ["产业"];
        /// 转移就业: jobs away from the farm.
        Employment = "employment", "转移就业", ["就业"];
        /// 技能培训: vocational and farming skills.
        Training = "training", "技能培训", ["培训"];
        /// 生活必需品: clothing, bedding, fuel, food.
        DailyNecessities = "daily_necessities", "生活必需品", ["生活用品"];
        /// 基础设施: roads, water, power, broadband of a village.
        Infrastructure = "infrastructure", "基础设施", [];
        /// 其它
        Other = "other", "其它", ["其他"];
    }
}

labelled_enum! {
    /// 帮扶对象: the special groups the policy names.
    pub enum TargetGroup in "target_group" {
        /// 留守妇女
        LeftBehindWomen = "left_behind_women", "留守妇女", [];
        /// 留守儿童和学生
        Children = "children", "儿童和学生", ["留守儿童", "学生"];
        /// 老人
        Elderly = "elderly", "老人", ["留守老人", "老年人"];
        /// 残疾人
        Disabled = "disabled", "残疾人", ["残疾"];
    }
}

labelled_enum! {
    /// 紧急程度
    pub enum Urgency in "urgency" {
        /// 一般
        Low = "low", "一般", ["低"];
        /// 较急
        Medium = "medium", "较急", ["中"];
        /// 紧急
        High = "high", "紧急", ["高"];
    }
}

labelled_enum! {
    /// 帮扶方式: what an offer gives.
    pub enum OfferKind in "kind" {
        /// 资金
        Money = "money", "资金", ["捐款"];
        /// 物资
        Goods = "goods", "物资", ["捐物"];
        /// 就业岗位
        Jobs = "jobs", "就业岗位", ["岗位"];
        /// 培训名额
        Training = "training", "培训名额", ["培训"];
        /// 志愿服务
        Service = "service", "志愿服务", ["服务"];
        /// 消费扶贫: buying the products of poor areas.
        Purchase = "purchase", "消费扶贫", ["采购"];
    }
}

labelled_enum! {
    /// 结对方式
    pub enum PairingKind in "kind" {
        /// 结对帮扶: a participant helps a household or village over time.
        Assistance = "assistance", "结对帮扶", ["帮扶"];
        /// 结对认亲: a family-like bond between a helper and a household.
        Kinship = "kinship", "结对认亲", ["认亲"];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_values_and_chinese_labels_parse() {
        assert_eq!(NeedCategory::parse("教育助学"), Ok(NeedCategory::Education));
        assert_eq!(NeedCategory::parse("Medical"), Ok(NeedCategory::Medical));
        assert_eq!(
            TargetGroup::parse("留守妇女"),
            Ok(TargetGroup::LeftBehindWomen)
        );
        assert_eq!(Urgency::parse("high"), Ok(Urgency::High));
        assert_eq!(OfferKind::parse("消费扶贫"), Ok(OfferKind::Purchase));
        assert_eq!(PairingKind::parse("结对认亲"), Ok(PairingKind::Kinship));
        let err = NeedCategory::parse("fun").unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.code),
            ("category", "unknown_value")
        );
        assert!(err.message_en.contains("daily_necessities (生活必需品)"));
        assert_eq!(NeedCategory::ALL.len(), 9);
    }
}
