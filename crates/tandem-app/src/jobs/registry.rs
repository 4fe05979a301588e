//! Which job kinds a worker can run: from the stored kind name to the typed job's `run`, inside
//! the job's transaction ([`Job`]) or outside any ([`Effect`]).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use tandem_store::Tx;

use super::{Effect, EffectContext, Job, JobContext};

type Run<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;
type InTx = Box<dyn for<'a> Fn(&'a str, &'a mut Tx, JobContext<'a>) -> Run<'a> + Send + Sync>;
type Outside = Box<dyn for<'a> Fn(&'a str, EffectContext<'a>) -> Run<'a> + Send + Sync>;

/// How a kind runs.
pub(super) enum Handler {
    InTx(InTx),
    Effect(Outside),
}

/// The job kinds one worker runs.
#[derive(Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Handler>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_set().entries(self.handlers.keys()).finish()
    }
}

impl Registry {
    /// Every job kind Tandem itself defines.
    pub fn standard() -> Registry {
        Registry::default()
            .with::<super::PurgeFinishedJobs>()
            .with::<crate::standards::ScanStandards>()
            .with::<crate::standards::RefreshOpenTickets>()
            .with::<crate::incidents::DeliverIncidentUpdate>()
            .with::<crate::announcements::SendAnnouncementEmails>()
            .with::<crate::surveys::OpenDueSurveys>()
            .with::<crate::surveys::SendSurveyRound>()
            .with::<crate::feedback::SendFeedbackDigests>()
            .with_effect::<crate::mail::SendEmail>()
    }

    /// The periodic work every node schedules (each period's job runs once across nodes).
    pub fn standard_schedules() -> Vec<super::Schedule> {
        vec![
            super::PurgeFinishedJobs::schedule(),
            crate::standards::ScanStandards::schedule(),
            crate::surveys::OpenDueSurveys::schedule(),
            crate::feedback::SendFeedbackDigests::schedule(),
        ]
    }

    /// Adds a job kind.
    pub fn with<J: Job>(mut self) -> Registry {
        let handler: InTx = Box::new(|payload, tx, context| {
            Box::pin(async move { parse::<J>(payload, J::KIND)?.run(tx, context).await })
        });
        self.handlers.insert(J::KIND, Handler::InTx(handler));
        self
    }

    /// Adds a kind that works outside the database.
    pub fn with_effect<E: Effect>(mut self) -> Registry {
        let handler: Outside =
            Box::new(|payload, context| Box::pin(async move { parse::<E>(payload, E::KIND)?.run(context).await }));
        self.handlers.insert(E::KIND, Handler::Effect(handler));
        self
    }

    /// How a stored kind runs; `None` for a kind this registry does not know, which the worker
    /// treats as a failure like any other, so it is retried (another node may know it) and
    /// parked in the end.
    pub(super) fn handler(&self, kind: &str) -> Option<&Handler> {
        self.handlers.get(kind)
    }
}

fn parse<T: serde::de::DeserializeOwned>(payload: &str, kind: &str) -> anyhow::Result<T> {
    serde_json::from_str(payload)
        .map_err(|error| anyhow::anyhow!("the payload of a {kind} job does not parse: {error}"))
}
