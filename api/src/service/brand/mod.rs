//! 扶贫公益品牌 (task 7): the brand catalogue and the brands officials add for the special
//! groups, the campaigns verified organisations run under a brand, and the programme
//! records (雨露计划, 扶贫小额贷款, 易地扶贫搬迁) of registered households.

mod brands;
mod campaigns;
mod programme_records;

pub use brands::{catalogue, create_brand};
pub use campaigns::{CampaignProgress, create_campaign, join_campaign, list_campaigns};
pub use programme_records::{household_programmes, record_programme};

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
