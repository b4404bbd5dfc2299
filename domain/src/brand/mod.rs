//! 扶贫公益品牌 (task 7): the brand and programme catalogue, and the campaigns run under a
//! brand (结对认亲, 扶贫募捐, 访贫慰问 …), whose raised-so-far is the sum of their donations.

use crate::labels::labelled_enum;

mod campaign;
mod catalogue;
mod programme;

pub use campaign::{Campaign, CampaignDraft, CampaignSpec};
pub use catalogue::{Brand, BrandDraft, BrandKind, BrandSpec};
pub use programme::{Programme, ProgrammeRecord, ProgrammeRecordDraft, RecordedProgramme};

labelled_enum! {
    /// 活动形式
    pub enum CampaignKind in "kind" {
        /// 结对认亲
        Kinship = "kinship", "结对认亲", [];
        /// 扶贫募捐
        Fundraising = "fundraising", "扶贫募捐", ["募捐"];
        /// 访贫慰问
        Visiting = "visiting", "访贫慰问", ["慰问"];
        /// 其它
        Other = "other", "其它", ["其他"];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_kinds_parse() {
        assert_eq!(
            CampaignKind::parse("扶贫募捐"),
            Ok(CampaignKind::Fundraising)
        );
        assert_eq!(CampaignKind::ALL.len(), 4);
    }
}
