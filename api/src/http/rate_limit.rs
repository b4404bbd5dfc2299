//! Abuse limits, kept in memory with the `governor` crate (GCRA: a token bucket without a
//! background task): [`LoginLimiter`] for login attempts per account and per client address,
//! [`RequestLimiter`] plus the [`rate_limit`] middleware for a general per-caller limit.
//!
//! Refusals are `429` problems with code `rate_limited` and `Retry-After` (whole seconds,
//! at least 1). Successful and refused limited requests carry `RateLimit-Limit` and
//! `RateLimit-Remaining`.
//!
//! Client addresses are the TCP peer's, or, behind the configured trusted proxies only,
//! the one their forwarding headers name ([`TrustedProxies`]).
//!
//! The state is per process: with several instances behind a load balancer each one counts
//! on its own, so the effective limit is the configured one times the number of instances.
//!
//! Memory: every limiter drops the keys whose bucket is full again (indistinguishable from
//! a key never seen) every [`CLEANUP_EVERY`] checks, so it holds only the keys used within
//! one replenish period (a minute for per-minute limits, the account window for logins).
//! Keys derived from client input are bounded in length, and IPv6 addresses are counted per
//! `/64` (what one subscriber is usually given), so an attacker cannot mint fresh keys by
//! walking its own prefix.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::error::ApiError;
use crate::http::client_ip::TrustedProxies;

pub const RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
pub const RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");

/// Paths the [`rate_limit`] middleware never limits: probes and scrapes must keep working
/// while a caller is being throttled.
pub const EXEMPT_PATHS: [&str; 3] = ["/health/live", "/health/ready", "/metrics"];

/// Stale keys are dropped from a limiter once per this many checks.
pub const CLEANUP_EVERY: u64 = 1024;

/// Above this many live keys after a cleanup, a warning is logged (the limiter keeps
/// working: refusing or forgetting callers would help an attacker more than the memory).
const WARN_KEYS: usize = 200_000;

/// Longest key kept, in characters; longer ones are cut (they still limit their caller).
const MAX_KEY_CHARS: usize = 256;

/// A keyed GCRA limiter on the monotonic clock that reports its state when it allows a cell.
type Governor<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// One keyed limiter with one quota.
struct Keyed<K: Clone + Eq + Hash> {
    limiter: Governor<K>,
    limit: u32,
}

impl<K: Clone + Eq + Hash> Keyed<K> {
    /// `burst` cells, one more every `period`; `None` when either is zero (no limit).
    fn new(burst: u32, period: Duration) -> Option<Self> {
        let quota = Quota::with_period(period)?.allow_burst(NonZeroU32::new(burst)?);
        Some(Self {
            limiter: RateLimiter::dashmap(quota).with_middleware::<StateInformationMiddleware>(),
            limit: burst,
        })
    }

    /// `n` per minute, burst `n`.
    fn per_minute(n: u32) -> Option<Self> {
        Self::new(n, Duration::from_secs(60) / n.max(1))
    }

    /// Takes one cell: the cells left, or the whole seconds (at least 1) until one is free.
    fn check(&self, key: &K) -> Result<u32, u64> {
        match self.limiter.check_key(key) {
            Ok(state) => Ok(state.remaining_burst_capacity()),
            Err(denied) => {
                let wait = denied.wait_time_from(self.limiter.clock().now());
                Err((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1))
            }
        }
    }

    /// Drops the keys whose bucket is full again.
    fn purge_stale(&self, what: &str) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
        let keys = self.limiter.len();
        if keys > WARN_KEYS {
            tracing::warn!(limiter = what, keys, "rate limiter holds many live keys");
        }
    }

    fn len(&self) -> usize {
        self.limiter.len()
    }
}

impl<K: Clone + Eq + Hash> fmt::Debug for Keyed<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyed")
            .field("limit", &self.limit)
            .field("keys", &self.len())
            .finish()
    }
}

/// Counts checks and says when a cleanup is due.
#[derive(Debug, Default)]
struct Housekeeping(AtomicU64);

impl Housekeeping {
    fn due(&self) -> bool {
        self.0.fetch_add(1, Ordering::Relaxed) % CLEANUP_EVERY == CLEANUP_EVERY - 1
    }
}

/// The 429 answer.
fn too_many(retry_after: u64, login: bool) -> ApiError {
    let mut e = if login {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("登录尝试次数过多，请 {retry_after} 秒后再试。"),
            format!("Too many login attempts; try again in {retry_after} seconds."),
        )
    } else {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("请求过于频繁，请 {retry_after} 秒后再试。"),
            format!("Too many requests; try again in {retry_after} seconds."),
        )
    };
    e.retry_after = Some(retry_after);
    e
}

/// The address a client is counted under: IPv4 (also when IPv4-mapped) as is, IPv6 by its
/// `/64` prefix.
pub fn client_network(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

/// Cuts `key` to at most [`MAX_KEY_CHARS`] characters.
fn bounded(key: &str) -> &str {
    key.char_indices()
        .nth(MAX_KEY_CHARS)
        .map_or(key, |(end, _)| &key[..end])
}

// ---------------------------------------------------------------------------------------
// Login attempts
// ---------------------------------------------------------------------------------------

/// Login attempts, limited per account and per client address. Call [`LoginLimiter::check`]
/// for every attempt, *before* the password is verified (successful logins count too), and
/// answer its error as is: the message is the same whichever limit tripped and whether the
/// account exists or not.
///
/// The address is checked first; when it is refused the account's budget is left untouched,
/// so a throttled address cannot keep locking a victim's account out. When the address is
/// allowed but the account is not, the address's cell stays spent.
pub struct LoginLimiter {
    accounts: Option<Keyed<String>>,
    addresses: Option<Keyed<IpAddr>>,
    housekeeping: Housekeeping,
}

impl LoginLimiter {
    pub const DEFAULT_ACCOUNT_ATTEMPTS: u32 = 10;
    pub const DEFAULT_ACCOUNT_WINDOW: Duration = Duration::from_secs(15 * 60);
    pub const DEFAULT_ADDRESS_PER_MINUTE: u32 = 30;

    /// `account_attempts` per `account_window` per account (a burst of `account_attempts`,
    /// one more every `account_window / account_attempts`), and `address_per_minute` per
    /// client address. A zero attempts, window or per-minute value switches that limit off.
    pub fn new(account_attempts: u32, account_window: Duration, address_per_minute: u32) -> Self {
        Self {
            accounts: Keyed::new(account_attempts, account_window / account_attempts.max(1)),
            addresses: Keyed::per_minute(address_per_minute),
            housekeeping: Housekeeping::default(),
        }
    }

    /// The key an account is counted under: trimmed, lowercased, at most 256 characters.
    pub fn account_key(account: &str) -> String {
        bounded(&account.trim().to_lowercase()).to_owned()
    }

    /// Takes one attempt from the address (when known) and from the account. Refused: 429
    /// `rate_limited` with `retry_after`.
    pub fn check(&self, account: &str, ip: Option<IpAddr>) -> Result<(), ApiError> {
        if self.housekeeping.due() {
            self.purge_stale();
        }
        if let (Some(addresses), Some(ip)) = (&self.addresses, ip) {
            addresses
                .check(&client_network(ip))
                .map_err(|secs| too_many(secs, true))?;
        }
        if let Some(accounts) = &self.accounts {
            accounts
                .check(&Self::account_key(account))
                .map_err(|secs| too_many(secs, true))?;
        }
        Ok(())
    }

    /// Drops the accounts and addresses whose budget is whole again (also done every
    /// [`CLEANUP_EVERY`] checks).
    pub fn purge_stale(&self) {
        if let Some(accounts) = &self.accounts {
            accounts.purge_stale("login_accounts");
        }
        if let Some(addresses) = &self.addresses {
            addresses.purge_stale("login_addresses");
        }
    }
}

impl Default for LoginLimiter {
    /// 10 attempts per 15 minutes per account, 30 per minute per address.
    fn default() -> Self {
        Self::new(
            Self::DEFAULT_ACCOUNT_ATTEMPTS,
            Self::DEFAULT_ACCOUNT_WINDOW,
            Self::DEFAULT_ADDRESS_PER_MINUTE,
        )
    }
}

impl fmt::Debug for LoginLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginLimiter")
            .field("accounts", &self.accounts)
            .field("addresses", &self.addresses)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------
// Requests per caller
// ---------------------------------------------------------------------------------------

/// Tells who is calling: `Some((key, per_minute))` for a recognised caller (`per_minute`
/// `None` for the default limit), `None` to count the request under its client address.
pub type KeyFn = fn(&ServiceRequest) -> Option<(String, Option<u32>)>;

/// What a limited request was allowed: its per-minute limit and the cells left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    pub limit: u32,
    pub remaining: u32,
}

/// The general per-caller limit, `n` requests per minute with a burst of `n`.
///
/// Governor's keyed limiter has a single quota, so there is one keyed limiter per distinct
/// per-minute value in use, created on first use. Those other than the default are dropped
/// again once none of their keys is live (at a cleanup). A caller whose limit changes
/// therefore starts with a full budget under the new value. The per-minute values come from
/// configuration (the key function), never from the client, so there are only a few.
///
/// A limit of 0 means no limit: `RequestLimiter::new(0)` switches the limit off, and a key
/// function answering `Some(0)` exempts that caller. A per-caller value replaces the default
/// (it is normally higher, but may be lower).
pub struct RequestLimiter {
    default_per_minute: u32,
    key_fn: Option<KeyFn>,
    trusted_proxies: TrustedProxies,
    limiters: RwLock<HashMap<u32, Arc<Keyed<String>>>>,
    housekeeping: Housekeeping,
}

impl RequestLimiter {
    /// Every caller counted under its client address, `default_per_minute` requests per
    /// minute.
    pub fn new(default_per_minute: u32) -> Self {
        Self {
            default_per_minute,
            key_fn: None,
            trusted_proxies: TrustedProxies::default(),
            limiters: RwLock::new(HashMap::new()),
            housekeeping: Housekeeping::default(),
        }
    }

    /// Callers recognised by `key_fn` (an integration client, an authenticated user) are
    /// counted under its key and limit; the others under their client address with the
    /// default limit.
    ///
    /// `key_fn` runs before any handler or extractor, on the raw request. It must only
    /// return a key (and above all a raised limit) for a credential it has *verified*;
    /// otherwise a client could pick fresh keys at will. Keys of client addresses start
    /// with `ip:`; other keys must not (use `client:<id>`, `user:<id>`, ...).
    pub fn with_key_fn(default_per_minute: u32, key_fn: KeyFn) -> Self {
        Self {
            key_fn: Some(key_fn),
            ..Self::new(default_per_minute)
        }
    }

    /// The proxies whose `Forwarded` / `X-Forwarded-For` give the client address (see
    /// [`TrustedProxies::client`]). None by default: anyone can send those headers, so
    /// believing them from anybody lets every request pick its own bucket.
    #[must_use]
    pub fn trusting(mut self, proxies: TrustedProxies) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    pub fn default_per_minute(&self) -> u32 {
        self.default_per_minute
    }

    /// The key and limit `req` is counted under.
    pub fn caller(&self, req: &ServiceRequest) -> (String, Option<u32>) {
        if let Some((key, per_minute)) = self.key_fn.and_then(|f| f(req)) {
            return (bounded(&key).to_owned(), per_minute);
        }
        let ip = self
            .trusted_proxies
            .client(req.peer_addr().map(|a| a.ip()), req.headers());
        let key = ip.map_or_else(
            || "ip:unknown".to_owned(),
            |ip| format!("ip:{}", client_network(ip)),
        );
        (key, None)
    }

    /// Takes one request from `key`'s budget (`per_minute`, or the default when `None`).
    /// Refused: 429 `rate_limited` with `retry_after`.
    pub fn check(&self, key: &str, per_minute: Option<u32>) -> Result<(), ApiError> {
        self.check_allowance(key, per_minute).map(drop)
    }

    /// Like [`RequestLimiter::check`], telling what is left (`None` when not limited).
    pub fn check_allowance(
        &self,
        key: &str,
        per_minute: Option<u32>,
    ) -> Result<Option<Allowance>, ApiError> {
        if self.housekeeping.due() {
            self.purge_stale();
        }
        let limit = per_minute.unwrap_or(self.default_per_minute);
        let Some(limiter) = self.limiter(limit) else {
            return Ok(None);
        };
        match limiter.check(&key.to_owned()) {
            Ok(remaining) => Ok(Some(Allowance { limit, remaining })),
            Err(secs) => Err(too_many(secs, false)),
        }
    }

    /// The keyed limiter for `per_minute`, created on first use; `None` for 0.
    fn limiter(&self, per_minute: u32) -> Option<Arc<Keyed<String>>> {
        if per_minute == 0 {
            return None;
        }
        if let Some(l) = self
            .limiters
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&per_minute)
        {
            return Some(Arc::clone(l));
        }
        let mut limiters = self
            .limiters
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let l = match limiters.entry(per_minute) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(Arc::new(Keyed::per_minute(per_minute)?))
            }
        };
        Some(Arc::clone(l))
    }

    /// Drops the keys whose budget is whole again, and the limiters for non-default limits
    /// left without keys (also done every [`CLEANUP_EVERY`] checks).
    pub fn purge_stale(&self) {
        let all: Vec<Arc<Keyed<String>>> = self
            .limiters
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for l in &all {
            l.purge_stale("requests");
        }
        let default = self.default_per_minute;
        self.limiters
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|per_minute, l| *per_minute == default || l.len() > 0);
    }

    /// Live keys over all limits.
    pub fn len(&self) -> usize {
        self.limiters
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .map(|l| l.len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for RequestLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestLimiter")
            .field("default_per_minute", &self.default_per_minute)
            .field("key_fn", &self.key_fn.is_some())
            .field("trusted_proxies", &self.trusted_proxies)
            .field("keys", &self.len())
            .finish_non_exhaustive()
    }
}

fn set_headers(headers: &mut HeaderMap, limit: u32, remaining: u32) {
    headers.insert(RATELIMIT_LIMIT, HeaderValue::from(limit));
    headers.insert(RATELIMIT_REMAINING, HeaderValue::from(remaining));
}

/// The general limit, with the [`RequestLimiter`] in the app data (`web::Data`); without
/// one, or for [`EXEMPT_PATHS`], requests pass untouched. Wrap it inside the outer
/// `problem_details` (which renders the refusal in the caller's language) and outside
/// `idempotency` (so a refused request claims no key).
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let limiter = req.app_data::<web::Data<RequestLimiter>>().cloned();
    let Some(limiter) = limiter.filter(|_| !EXEMPT_PATHS.contains(&req.path())) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let (key, per_minute) = limiter.caller(&req);
    match limiter.check_allowance(&key, per_minute) {
        Ok(allowance) => {
            let mut res = next.call(req).await?.map_into_boxed_body();
            if let Some(a) = allowance {
                set_headers(res.headers_mut(), a.limit, a.remaining);
            }
            Ok(res)
        }
        Err(e) => {
            let limit = per_minute.unwrap_or(limiter.default_per_minute);
            let mut res = req.error_response(e);
            set_headers(res.headers_mut(), limit, 0);
            Ok(res)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use actix_web::http::header::{CONTENT_TYPE, RETRY_AFTER};
    use actix_web::middleware::from_fn;
    use actix_web::test::{self, TestRequest};
    use actix_web::{App, HttpResponse};

    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().expect("address"))
    }

    /// The 429 of `r`, checked for shape; its `retry_after`.
    fn refused<T: fmt::Debug>(r: Result<T, ApiError>) -> u64 {
        let e = r.expect_err("must be refused");
        assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(e.code, "rate_limited");
        let secs = e.retry_after.expect("retry_after");
        assert!(secs >= 1, "retry_after {secs}");
        secs
    }

    #[test]
    fn eleventh_login_attempt_for_an_account_is_refused() {
        let limiter = LoginLimiter::default();
        for n in 0..10u8 {
            // Each attempt from another address: only the account limit can trip.
            let from = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, n)));
            limiter.check("alice", from).expect("within the limit");
        }
        let err = limiter
            .check("alice", ip("10.0.1.1"))
            .expect_err("11th attempt");
        assert!(err.detail_en.contains("Too many login attempts"));
        assert!(err.detail_zh.contains("登录尝试次数过多"));
        // One attempt comes back every 90 s.
        let secs = refused(Err::<(), _>(err));
        assert!((80..=90).contains(&secs), "retry_after {secs}");
        limiter
            .check("bob", ip("10.0.1.1"))
            .expect("another account is still allowed");
    }

    #[test]
    fn account_keys_ignore_case_and_surrounding_space() {
        let limiter = LoginLimiter::new(3, Duration::from_secs(900), 0);
        limiter.check("Alice", None).expect("1");
        limiter.check("  ALICE ", None).expect("2");
        limiter.check("alice", None).expect("3");
        refused(limiter.check("aLiCe", None));
        assert_eq!(LoginLimiter::account_key("  Bob\t"), "bob");
        assert_eq!(
            LoginLimiter::account_key(&"x".repeat(1000)).len(),
            MAX_KEY_CHARS
        );
    }

    #[test]
    fn the_address_limit_trips_independently_of_accounts() {
        let limiter = LoginLimiter::default();
        for n in 0..30 {
            limiter
                .check(&format!("user{n}"), ip("192.0.2.7"))
                .expect("within the address limit");
        }
        let secs = refused(limiter.check("someone-new", ip("192.0.2.7")));
        assert!(secs <= 2, "one attempt per 2 s comes back: {secs}");
        // The refused address spent nothing of the account: it still has all 10 attempts.
        for _ in 0..10 {
            limiter
                .check("someone-new", ip("192.0.2.8"))
                .expect("account untouched");
        }
        // Unknown address: only the account counts.
        limiter.check("carol", None).expect("no address");
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let limiter = LoginLimiter::new(0, Duration::ZERO, 2);
        limiter.check("a", ip("2001:db8:1:2::1")).expect("1");
        limiter.check("b", ip("2001:db8:1:2:ffff::9")).expect("2");
        refused(limiter.check("c", ip("2001:db8:1:2:abcd::1")));
        limiter
            .check("d", ip("2001:db8:1:3::1"))
            .expect("another /64");
        assert_eq!(
            client_network("::ffff:192.0.2.1".parse().expect("ip")),
            ip("192.0.2.1").expect("ip")
        );
    }

    #[test]
    fn zero_limits_switch_login_limits_off() {
        let limiter = LoginLimiter::new(0, Duration::from_secs(900), 0);
        for _ in 0..100 {
            limiter.check("alice", ip("10.0.0.1")).expect("no limits");
        }
    }

    #[test]
    fn default_request_limit_trips_after_n() {
        let limiter = RequestLimiter::new(5);
        for n in (0..5).rev() {
            let a = limiter
                .check_allowance("ip:10.0.0.1", None)
                .expect("within the limit")
                .expect("limited");
            assert_eq!(
                a,
                Allowance {
                    limit: 5,
                    remaining: n
                }
            );
        }
        let err = limiter.check("ip:10.0.0.1", None).expect_err("6th");
        assert!(err.detail_en.contains("Too many requests"));
        let secs = refused(Err::<(), _>(err));
        assert!(secs <= 12, "one request per 12 s comes back: {secs}");
        limiter.check("ip:10.0.0.2", None).expect("another caller");
    }

    #[test]
    fn a_raised_limit_allows_more_than_the_default() {
        let limiter = RequestLimiter::new(3);
        for _ in 0..10 {
            limiter.check("client:big", Some(10)).expect("raised limit");
        }
        refused(limiter.check("client:big", Some(10)));
        for _ in 0..3 {
            limiter.check("client:small", None).expect("default");
        }
        refused(limiter.check("client:small", None));
        limiter.check("client:free", Some(0)).expect("0: no limit");
        RequestLimiter::new(0)
            .check("anyone", None)
            .expect("limit off");
    }

    #[test]
    fn stale_keys_are_dropped() {
        // 60 000 per minute: a used key's bucket is whole again after about 2 ms.
        let limiter = RequestLimiter::new(60_000);
        for n in 0..CLEANUP_EVERY - 2 {
            limiter.check(&format!("k{n}"), None).expect("allowed");
        }
        // A non-default limit gets its own limiter, dropped once it has no live keys.
        limiter.check("raised", Some(120_000)).expect("allowed");
        assert_eq!(
            limiter.len(),
            usize::try_from(CLEANUP_EVERY - 1).expect("fits")
        );
        std::thread::sleep(Duration::from_millis(50));
        // The next check is the one that runs a cleanup, before counting itself.
        limiter.check("fresh", None).expect("allowed");
        assert!(limiter.len() <= 1, "left: {}", limiter.len());
        assert_eq!(
            limiter
                .limiters
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .len(),
            1
        );

        let login = LoginLimiter::new(10, Duration::from_millis(10), 60_000);
        login.check("alice", ip("10.0.0.1")).expect("allowed");
        std::thread::sleep(Duration::from_millis(50));
        login.purge_stale();
        assert_eq!(login.accounts.as_ref().map(Keyed::len), Some(0));
        assert_eq!(login.addresses.as_ref().map(Keyed::len), Some(0));
    }

    fn client_header(req: &ServiceRequest) -> Option<(String, Option<u32>)> {
        let client = req.headers().get("x-client")?.to_str().ok()?;
        Some((format!("client:{client}"), Some(5)))
    }

    macro_rules! app {
        ($limiter:expr) => {
            test::init_service(
                App::new()
                    .app_data(web::Data::new($limiter))
                    .route(
                        "/x",
                        web::get().to(|| async { HttpResponse::Ok().finish() }),
                    )
                    .route(
                        "/health/live",
                        web::get().to(|| async { HttpResponse::Ok().finish() }),
                    )
                    .wrap(from_fn(rate_limit)),
            )
            .await
        };
    }

    fn get(path: &str, peer: &str) -> TestRequest {
        TestRequest::get()
            .uri(path)
            .peer_addr(peer.parse().expect("socket address"))
    }

    #[actix_web::test]
    async fn middleware_answers_429_with_retry_after_and_spares_health() {
        let app = app!(RequestLimiter::new(3));
        for remaining in ["2", "1", "0"] {
            let res = test::call_service(&app, get("/x", "10.0.0.1:4000").to_request()).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(res.headers().get(RATELIMIT_LIMIT).expect("limit"), "3");
            assert_eq!(
                res.headers().get(RATELIMIT_REMAINING).expect("remaining"),
                remaining
            );
        }
        let res = test::call_service(&app, get("/x", "10.0.0.1:4001").to_request()).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = res
            .headers()
            .get(RETRY_AFTER)
            .expect("Retry-After")
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=20).contains(&retry), "Retry-After {retry}");
        assert_eq!(
            res.headers().get(RATELIMIT_REMAINING).expect("remaining"),
            "0"
        );
        assert!(
            res.headers()
                .get(CONTENT_TYPE)
                .expect("content type")
                .as_bytes()
                .starts_with(b"application/problem+json")
        );
        let err = res
            .response()
            .error()
            .expect("error kept for problem_details");
        assert_eq!(
            err.as_error::<ApiError>().map(|e| e.code),
            Some("rate_limited")
        );
        let body: serde_json::Value = test::read_body_json(res).await;
        assert_eq!(body["code"], "rate_limited");
        assert_eq!(body["status"], 429);

        for _ in 0..10 {
            let res =
                test::call_service(&app, get("/health/live", "10.0.0.1:4000").to_request()).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert!(res.headers().get(RATELIMIT_LIMIT).is_none());
        }
        let res = test::call_service(&app, get("/x", "10.0.0.2:4000").to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "another address");
    }

    #[actix_web::test]
    async fn forwarded_for_is_ignored_unless_trusted() {
        let app = app!(RequestLimiter::new(1));
        let spoofed = |n: u8| {
            get("/x", "10.0.0.1:4000")
                .insert_header(("x-forwarded-for", format!("203.0.113.{n}")))
                .to_request()
        };
        assert_eq!(
            test::call_service(&app, spoofed(1)).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            test::call_service(&app, spoofed(2)).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );

        let proxies = TrustedProxies::parse("10.0.0.0/8").expect("networks");
        let app = app!(RequestLimiter::new(1).trusting(proxies));
        assert_eq!(
            test::call_service(&app, spoofed(1)).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            test::call_service(&app, spoofed(2)).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            test::call_service(&app, spoofed(1)).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }

    #[actix_web::test]
    async fn key_fn_callers_get_their_own_key_and_limit() {
        let app = app!(RequestLimiter::with_key_fn(1, client_header));
        for _ in 0..5 {
            let req = get("/x", "10.0.0.1:4000")
                .insert_header(("x-client", "acme"))
                .to_request();
            let res = test::call_service(&app, req).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(res.headers().get(RATELIMIT_LIMIT).expect("limit"), "5");
        }
        let req = get("/x", "10.0.0.1:4000")
            .insert_header(("x-client", "acme"))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        // The same address without the credential is counted on its own, by default limit.
        let res = test::call_service(&app, get("/x", "10.0.0.1:4000").to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = test::call_service(&app, get("/x", "10.0.0.1:4000").to_request()).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    }

    #[actix_web::test]
    async fn without_a_limiter_requests_pass() {
        let app = test::init_service(
            App::new()
                .route(
                    "/x",
                    web::get().to(|| async { HttpResponse::Ok().finish() }),
                )
                .wrap(from_fn(rate_limit)),
        )
        .await;
        for _ in 0..100 {
            let res = test::call_service(&app, TestRequest::get().uri("/x").to_request()).await;
            assert_eq!(res.status(), StatusCode::OK);
        }
    }
}
