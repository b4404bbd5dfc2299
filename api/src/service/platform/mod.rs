//! The information service platform (task 9 of the policy, 扶贫信息服务平台): needs and
//! their lifecycle, offers and matching, pledges with their trail and feedback, pairings.

pub mod matching;
pub mod needs;
pub mod offers;
pub mod pairings;
pub mod places;
pub mod pledges;
