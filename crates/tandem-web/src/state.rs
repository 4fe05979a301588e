//! What every handler shares: the application and the per-node login limiter.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tandem_app::App;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Password attempts per client address on this node (the database also counts failures per
    /// email across nodes).
    pub login_limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl AppState {
    pub fn new(app: App) -> Self {
        let per_second = NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_second(per_second).allow_burst(burst);
        Self { app, login_limiter: Arc::new(RateLimiter::keyed(quota)) }
    }
}
