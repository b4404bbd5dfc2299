//! 民营企业扶贫 (task 1): enterprises' aid projects in poor villages, the money they put in,
//! the registered poor people they employ — each person counted once per year, however many
//! projects claim them — and the credit support and interest subsidies they receive.

use crate::labels::labelled_enum;

labelled_enum! {
    /// 企业帮扶方式 (the six the policy names)
    pub enum ProjectType in "type" {
        /// 资源开发
        ResourceDevelopment = "resource_development", "资源开发", [];
        /// 产业培育
        IndustryCultivation = "industry_cultivation", "产业培育", [];
        /// 村企共建
        VillageEnterprise = "village_enterprise", "村企共建", [];
        /// 投资兴业
        Investment = "investment", "投资兴业", [];
        /// 吸纳就业
        Employment = "employment", "吸纳就业", [];
        /// 捐资助学
        Schooling = "schooling", "捐资助学", [];
    }
}

/// How many different people a set of employment records names in one year: each
/// `(person, year)` pair counts once, whichever projects claim it.
pub fn people_employed<'a>(records: impl IntoIterator<Item = (&'a str, i32)>, year: i32) -> usize {
    let mut people: Vec<&str> = records
        .into_iter()
        .filter(|(_, y)| *y == year)
        .map(|(p, _)| p)
        .collect();
    people.sort_unstable();
    people.dedup();
    people.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_of_two_projects_counts_once() {
        let records = [("m1", 2026), ("m1", 2026), ("m2", 2026), ("m1", 2025)];
        assert_eq!(people_employed(records, 2026), 2);
        assert_eq!(people_employed(records, 2025), 1);
        assert_eq!(ProjectType::ALL.len(), 6);
        assert_eq!(
            ProjectType::parse("村企共建"),
            Ok(ProjectType::VillageEnterprise)
        );
    }
}
