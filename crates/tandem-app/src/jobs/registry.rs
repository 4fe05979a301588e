//! Which job kinds a worker can run: from the stored kind name to the typed job's `run`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use tandem_store::Tx;

use super::{Job, JobContext};

type Run<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;
type Handler = Box<dyn for<'a> Fn(&'a str, &'a mut Tx, JobContext) -> Run<'a> + Send + Sync>;

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
    }

    /// The periodic work every node schedules (each period's job runs once across nodes).
    pub fn standard_schedules() -> Vec<super::Schedule> {
        vec![super::PurgeFinishedJobs::schedule(), crate::standards::ScanStandards::schedule()]
    }

    /// Adds a job kind.
    pub fn with<J: Job>(mut self) -> Registry {
        let handler: Handler = Box::new(|payload, tx, context| {
            Box::pin(async move {
                let job: J = serde_json::from_str(payload)
                    .map_err(|error| anyhow::anyhow!("the payload of a {} job does not parse: {error}", J::KIND))?;
                job.run(tx, context).await
            })
        });
        self.handlers.insert(J::KIND, handler);
        self
    }

    /// Runs a stored job; a kind this registry does not know is a failure like any other, so it
    /// is retried (another node may know it) and parked in the end.
    pub(super) async fn run(&self, kind: &str, payload: &str, tx: &mut Tx, context: JobContext) -> anyhow::Result<()> {
        match self.handlers.get(kind) {
            Some(handler) => handler(payload, tx, context).await,
            None => anyhow::bail!("no handler for job kind `{kind}` on this node"),
        }
    }
}
