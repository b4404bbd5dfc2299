//! `Role`: what a user of Fupin is, and so what they may see and do.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::region::{RegionCode, RegionLevel};

/// The role of a user account (integration clients get [`super::Scopes`] instead).
/// Officials and village cadres are bound to one region and act only within its subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 平台管理员: runs the platform; bound to no region, may do everything.
    PlatformAdmin,
    /// 省级干部: official of the province's poverty-alleviation office.
    ProvinceOfficial,
    /// 市级干部
    CityOfficial,
    /// 县级干部
    CountyOfficial,
    /// 乡镇干部
    TownshipOfficial,
    /// 村干部: village cadre, who keeps the village's register (建档立卡).
    VillageCadre,
    /// 第三方评估人员: third-party evaluator; reads only, for a limited time.
    Evaluator,
    /// 单位经办人: acts for one enterprise, social organisation or designated unit.
    OrgMember,
    /// 捐赠人: an individual who gives money or goods.
    Donor,
    /// 志愿者
    Volunteer,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::PlatformAdmin,
        Role::ProvinceOfficial,
        Role::CityOfficial,
        Role::CountyOfficial,
        Role::TownshipOfficial,
        Role::VillageCadre,
        Role::Evaluator,
        Role::OrgMember,
        Role::Donor,
        Role::Volunteer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::ProvinceOfficial => "province_official",
            Role::CityOfficial => "city_official",
            Role::CountyOfficial => "county_official",
            Role::TownshipOfficial => "township_official",
            Role::VillageCadre => "village_cadre",
            Role::Evaluator => "evaluator",
            Role::OrgMember => "org_member",
            Role::Donor => "donor",
            Role::Volunteer => "volunteer",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "平台管理员",
            Role::ProvinceOfficial => "省级干部",
            Role::CityOfficial => "市级干部",
            Role::CountyOfficial => "县级干部",
            Role::TownshipOfficial => "乡镇干部",
            Role::VillageCadre => "村干部",
            Role::Evaluator => "第三方评估人员",
            Role::OrgMember => "单位经办人",
            Role::Donor => "捐赠人",
            Role::Volunteer => "志愿者",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let expected = Self::ALL.map(Role::as_str).join(", ");
                FieldError::new(
                    "role",
                    "unknown_role",
                    format!("unknown role {s:?}; expected one of {expected}"),
                    format!("未知的角色 {s:?}；应为以下之一：{expected}"),
                )
            })
    }

    /// Province, city, county and township officials. Village cadres are not officials:
    /// they keep their village's records but manage no users.
    pub fn is_official(self) -> bool {
        matches!(
            self,
            Role::ProvinceOfficial
                | Role::CityOfficial
                | Role::CountyOfficial
                | Role::TownshipOfficial
        )
    }

    /// The level of region an official or village cadre is bound to.
    pub fn official_level(self) -> Option<RegionLevel> {
        match self {
            Role::ProvinceOfficial => Some(RegionLevel::Province),
            Role::CityOfficial => Some(RegionLevel::City),
            Role::CountyOfficial => Some(RegionLevel::County),
            Role::TownshipOfficial => Some(RegionLevel::Township),
            Role::VillageCadre => Some(RegionLevel::Village),
            Role::PlatformAdmin
            | Role::Evaluator
            | Role::OrgMember
            | Role::Donor
            | Role::Volunteer => None,
        }
    }

    /// Officials and village cadres must be bound to a region.
    pub fn requires_region(self) -> bool {
        self.official_level().is_some()
    }

    /// Organisation members must be bound to an organisation.
    pub fn requires_organization(self) -> bool {
        self == Role::OrgMember
    }

    /// Whether `region` fits this role: an official or cadre must be bound to a region of
    /// exactly their level (a county official to a county). Roles bound to no level accept
    /// any region. Whether a region is given at all is [`Role::requires_region`]'s question.
    pub fn check_region_level(self, region: &RegionCode) -> Result<(), FieldError> {
        match self.official_level() {
            Some(level) if region.level() != level => Err(FieldError::new(
                "region_code",
                "region_level_mismatch",
                format!(
                    "a {} must be bound to a {} region, and {} is a {}",
                    self.as_str(),
                    level.as_str(),
                    region.as_str(),
                    region.level().as_str()
                ),
                format!(
                    "{}只能绑定到{}级行政区划，{} 是{}级",
                    self.label_zh(),
                    level.label_zh(),
                    region.as_str(),
                    region.level().label_zh()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Whether a user of this role, bound to `own_region`, may create a user of role
    /// `target` bound to `target_region`:
    /// - a platform admin may create anyone;
    /// - an official may create officials and village cadres of a strictly lower level
    ///   inside their own region (a county official: township officials and village cadres
    ///   of that county);
    /// - nobody else may create users (donors and volunteers sign themselves up).
    ///
    /// This answers "may", not "is it valid": whether `target_region` has the level
    /// `target` needs is [`Role::check_region_level`]'s job (422, not 403). An official
    /// whose own region does not fit their role may create no one.
    pub fn may_create(
        self,
        target: Role,
        own_region: Option<&RegionCode>,
        target_region: Option<&RegionCode>,
    ) -> bool {
        if self == Role::PlatformAdmin {
            return true;
        }
        if !self.is_official() {
            return false;
        }
        let (Some(own_level), Some(target_level)) =
            (self.official_level(), target.official_level())
        else {
            return false;
        };
        let (Some(own), Some(theirs)) = (own_region, target_region) else {
            return false;
        };
        own.level() == own_level && target_level > own_level && own.contains(theirs)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    const LIAONING: &str = "210000";
    const FUXIN: &str = "210900";
    const SHENYANG: &str = "210100";
    const FUXIN_COUNTY: &str = "210921";
    const ZHANGWU: &str = "210922";
    const HEPING: &str = "210102";
    const FUXIN_TOWNSHIP: &str = "210921100000";
    const FUXIN_TOWNSHIP_2: &str = "210921101000";
    const FUXIN_VILLAGE: &str = "210921100201";
    const ZHANGWU_TOWNSHIP: &str = "210922100000";
    const ZHANGWU_VILLAGE: &str = "210922100201";

    fn may(creator: Role, own: &str, target: Role, theirs: &str) -> bool {
        creator.may_create(target, Some(&code(own)), Some(&code(theirs)))
    }

    #[test]
    fn round_trips_through_its_string_form() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        assert_eq!(Role::CountyOfficial.label_zh(), "县级干部");
    }

    #[test]
    fn unknown_roles_are_rejected() {
        for bad in ["", "admin", "County_Official", "county official"] {
            let err = Role::parse(bad).expect_err("unknown role");
            assert_eq!((err.field.as_str(), err.code), ("role", "unknown_role"));
            assert!(err.message_en.contains("village_cadre"));
        }
    }

    #[test]
    fn officials_cadres_and_organisation_members() {
        let officials: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_official()).collect();
        assert_eq!(
            officials,
            [
                Role::ProvinceOfficial,
                Role::CityOfficial,
                Role::CountyOfficial,
                Role::TownshipOfficial
            ]
        );
        let levels: Vec<_> = Role::ALL.map(Role::official_level).to_vec();
        assert_eq!(
            levels,
            [
                None,
                Some(RegionLevel::Province),
                Some(RegionLevel::City),
                Some(RegionLevel::County),
                Some(RegionLevel::Township),
                Some(RegionLevel::Village),
                None,
                None,
                None,
                None,
            ]
        );
        let with_region: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.requires_region())
            .collect();
        assert_eq!(with_region.len(), 5);
        assert!(with_region.contains(&Role::VillageCadre));
        assert!(!Role::PlatformAdmin.requires_region());
        let with_org: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.requires_organization())
            .collect();
        assert_eq!(with_org, [Role::OrgMember]);
    }

    #[test]
    fn region_level_must_match_the_role() {
        assert_eq!(
            Role::CountyOfficial.check_region_level(&code(FUXIN_COUNTY)),
            Ok(())
        );
        assert_eq!(
            Role::ProvinceOfficial.check_region_level(&code(LIAONING)),
            Ok(())
        );
        assert_eq!(
            Role::VillageCadre.check_region_level(&code(FUXIN_VILLAGE)),
            Ok(())
        );
        let err = Role::CountyOfficial
            .check_region_level(&code(FUXIN))
            .expect_err("a city is not a county");
        assert_eq!(
            (err.field.as_str(), err.code),
            ("region_code", "region_level_mismatch")
        );
        assert_eq!(
            err.message_en,
            "a county_official must be bound to a county region, and 210900 is a city"
        );
        assert_eq!(
            err.message_zh,
            "县级干部只能绑定到县级行政区划，210900 是市级"
        );
        assert!(
            Role::TownshipOfficial
                .check_region_level(&code(FUXIN_VILLAGE))
                .is_err()
        );
        assert!(
            Role::VillageCadre
                .check_region_level(&code(FUXIN_TOWNSHIP))
                .is_err()
        );
        assert_eq!(
            Role::Volunteer.check_region_level(&code(FUXIN_VILLAGE)),
            Ok(())
        );
    }

    #[test]
    fn platform_admin_may_create_anyone() {
        for target in Role::ALL {
            assert!(
                Role::PlatformAdmin.may_create(target, None, None),
                "{target}"
            );
            assert!(may(Role::PlatformAdmin, LIAONING, target, FUXIN_VILLAGE));
        }
    }

    #[test]
    fn province_official_creates_lower_officials_in_the_province() {
        let p = Role::ProvinceOfficial;
        assert!(may(p, LIAONING, Role::CityOfficial, FUXIN));
        assert!(may(p, LIAONING, Role::CountyOfficial, HEPING));
        assert!(may(p, LIAONING, Role::VillageCadre, ZHANGWU_VILLAGE));
        assert!(!may(p, LIAONING, Role::ProvinceOfficial, LIAONING));
        for other in [
            Role::PlatformAdmin,
            Role::Evaluator,
            Role::OrgMember,
            Role::Donor,
            Role::Volunteer,
        ] {
            assert!(!may(p, LIAONING, other, LIAONING), "{other}");
        }
    }

    #[test]
    fn county_official_creates_only_below_and_inside_the_county() {
        let c = Role::CountyOfficial;
        assert!(may(c, FUXIN_COUNTY, Role::TownshipOfficial, FUXIN_TOWNSHIP));
        assert!(may(c, FUXIN_COUNTY, Role::VillageCadre, FUXIN_VILLAGE));
        // Not upwards, not sideways.
        assert!(!may(c, FUXIN_COUNTY, Role::ProvinceOfficial, LIAONING));
        assert!(!may(c, FUXIN_COUNTY, Role::CityOfficial, FUXIN));
        assert!(!may(c, FUXIN_COUNTY, Role::CountyOfficial, FUXIN_COUNTY));
        assert!(!may(c, FUXIN_COUNTY, Role::CountyOfficial, ZHANGWU));
        // Not in another county.
        assert!(!may(
            c,
            FUXIN_COUNTY,
            Role::TownshipOfficial,
            ZHANGWU_TOWNSHIP
        ));
        assert!(!may(c, FUXIN_COUNTY, Role::VillageCadre, ZHANGWU_VILLAGE));
        assert!(!may(c, FUXIN_COUNTY, Role::Donor, FUXIN_VILLAGE));
        assert!(!may(c, FUXIN_COUNTY, Role::PlatformAdmin, FUXIN_COUNTY));
    }

    #[test]
    fn city_official_cannot_reach_into_another_city() {
        assert!(may(
            Role::CityOfficial,
            FUXIN,
            Role::CountyOfficial,
            ZHANGWU
        ));
        assert!(!may(
            Role::CityOfficial,
            FUXIN,
            Role::CountyOfficial,
            HEPING
        ));
        assert!(!may(
            Role::CityOfficial,
            SHENYANG,
            Role::VillageCadre,
            FUXIN_VILLAGE
        ));
    }

    #[test]
    fn township_official_creates_cadres_of_its_own_villages() {
        let t = Role::TownshipOfficial;
        assert!(may(t, FUXIN_TOWNSHIP, Role::VillageCadre, FUXIN_VILLAGE));
        assert!(!may(t, FUXIN_TOWNSHIP_2, Role::VillageCadre, FUXIN_VILLAGE));
        assert!(!may(
            t,
            FUXIN_TOWNSHIP,
            Role::TownshipOfficial,
            FUXIN_TOWNSHIP
        ));
    }

    #[test]
    fn nobody_else_creates_users() {
        for creator in [
            Role::VillageCadre,
            Role::Evaluator,
            Role::OrgMember,
            Role::Donor,
            Role::Volunteer,
        ] {
            for target in Role::ALL {
                assert!(
                    !may(creator, FUXIN_VILLAGE, target, FUXIN_VILLAGE),
                    "{creator} {target}"
                );
                assert!(
                    !creator.may_create(target, None, None),
                    "{creator} {target}"
                );
            }
        }
    }

    #[test]
    fn officials_without_a_fitting_region_create_no_one() {
        let c = Role::CountyOfficial;
        assert!(!c.may_create(Role::VillageCadre, None, Some(&code(FUXIN_VILLAGE))));
        assert!(!c.may_create(Role::VillageCadre, Some(&code(FUXIN_COUNTY)), None));
        // A county official wrongly bound to a city must not act for the whole city.
        assert!(!may(c, FUXIN, Role::VillageCadre, FUXIN_VILLAGE));
    }

    #[test]
    fn may_create_leaves_level_fit_to_check_region_level() {
        let c = Role::CountyOfficial;
        assert!(may(c, FUXIN_COUNTY, Role::TownshipOfficial, FUXIN_VILLAGE));
        assert!(
            Role::TownshipOfficial
                .check_region_level(&code(FUXIN_VILLAGE))
                .is_err()
        );
    }
}
