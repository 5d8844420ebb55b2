//! [`Engine`]: the one type most users need. Opened on a storage URL, it ingests batches of
//! events, matches them against the loaded Sigma rules, stores events and detections in one
//! transaction, and answers queries.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use finmark::{Engine, storage::EventQuery};
//! let engine = Engine::open("memory://").await.unwrap();
//! let report = engine.ingest_json(b"{\"user.name\": \"alice\"}\n{oops\n").await.unwrap();
//! assert_eq!((report.accepted, report.rejected.len()), (1, 1));
//! let page = engine.events(&EventQuery::new()).await.unwrap();
//! assert_eq!(page.events[0].get("user.name").unwrap().as_str(), Some("alice"));
//! engine.close().await.unwrap();
//! # });
//! ```

use crate::access::{self, Actor, Permission};
use crate::alert::{Alert, AlertAction, AlertConfig, AlertUpdate, Silence, SilenceRequest};
use crate::correlate::CorrelationConfig;
use crate::detect::{RuleOptions, RuleSet, RuleSetBuilder};
use crate::detection::Detection;
use crate::error::{Error, Result};
use crate::event::{self, Event, ParsedBatch};
use crate::ingest::{self, Pipeline, StageSettings};
use crate::sigma;
use crate::storage::{
    self, AlertCounts, AlertPage, AlertQuery, EventPage, EventQuery, FieldCount, LoadRequest,
    StateRecord, Storage, WriteSet,
};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

pub use crate::ingest::IngestReport;

/// The state key under which [`Engine::remember_rules`] keeps the rule options.
const REMEMBERED_RULES: &str = "engine/rule_options";

/// Configures and opens an [`Engine`].
#[derive(Debug)]
pub struct EngineBuilder {
    url: String,
    rules: RuleSetBuilder,
    settings: StageSettings,
}

impl EngineBuilder {
    /// Adds Sigma rules from a file or directory.
    pub fn rules_path(mut self, path: impl AsRef<Path>) -> Self {
        self.rules = self.rules.path(path);
        self
    }

    /// Adds Sigma rules from YAML text; `label` names it in errors.
    pub fn rules_yaml(mut self, text: &str, label: &str) -> Self {
        self.rules = self.rules.yaml(text, label);
        self
    }

    /// Adds a processing pipeline for the rules.
    pub fn pipeline(mut self, pipeline: sigma::Pipeline) -> Self {
        self.rules = self.rules.pipeline(pipeline);
        self
    }

    /// Adds everything a [`RuleOptions`] names (rule paths, YAML texts, pipelines).
    pub fn rule_options(mut self, options: &RuleOptions) -> Result<Self> {
        self.rules = self.rules.options(options)?;
        Ok(self)
    }

    /// How detections become alerts (suppression window, grouping, inhibition, risk).
    pub fn alert_config(mut self, config: AlertConfig) -> Self {
        self.settings.alerts = config;
        self
    }

    /// How correlation rules are evaluated (event or processing time, allowed lateness,
    /// limits on state).
    pub fn correlation_config(mut self, config: CorrelationConfig) -> Self {
        self.settings.correlation = config;
        self
    }

    /// Fails to open when any rule is rejected, instead of skipping it.
    pub fn strict_rules(mut self, strict: bool) -> Self {
        self.rules = self.rules.strict(strict);
        self
    }

    /// Compiles the rules, opens the storage (applying migrations) and returns the engine.
    pub async fn open(self) -> Result<Engine> {
        let rules = self.rules.build()?;
        let storage = storage::open(&self.url).await?;
        Ok(Engine {
            inner: Arc::new(Inner {
                storage,
                settings: self.settings.clone(),
                pipeline: RwLock::new(Arc::new(Pipeline::new(rules, &self.settings)?)),
                closed: AtomicBool::new(false),
            }),
        })
    }
}

struct Inner {
    storage: Arc<dyn Storage>,
    /// The stages' settings; kept for rule reloads.
    settings: StageSettings,
    /// The ingest stages, rebuilt as a whole when the rules change.
    pipeline: RwLock<Arc<Pipeline>>,
    closed: AtomicBool,
}

/// An engine on one storage: ingests batches through the ingest stages ([`crate::ingest`])
/// and answers queries over what it stored.
///
/// Open one per process (and per storage URL) and share it: it is `Send + Sync` and cheap to
/// clone, clones share the storage and the rules. Every method that touches storage is async
/// (tokio); each ingested batch is one transaction, so batches of a few thousand events are
/// the efficient size.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use finmark::{Engine, storage::EventQuery};
/// let engine = Engine::builder("memory://")
///     .rules_yaml(
///         "title: Root Login\nlevel: high\nlogsource: {product: linux}\ndetection:\n  sel: {user.name: root}\n  condition: sel",
///         "inline.yml",
///     )
///     .open()
///     .await?;
/// let report = engine.ingest_json(b"{\"event.id\": \"1\", \"user.name\": \"root\"}").await?;
/// assert_eq!((report.accepted, report.matches.len()), (1, 1));
/// // Sent again, nothing is stored or detected twice.
/// let again = engine.ingest_json(b"{\"event.id\": \"1\", \"user.name\": \"root\"}").await?;
/// assert_eq!((again.accepted, again.duplicates, again.matches.len()), (0, 1, 0));
/// assert_eq!(engine.detections(&EventQuery::new()).await?.len(), 1);
/// engine.close().await?;
/// # Ok::<(), finmark::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    /// A builder for an engine on the storage `url` (`memory://`, `sqlite://PATH`,
    /// `postgres://...`).
    pub fn builder(url: impl Into<String>) -> EngineBuilder {
        EngineBuilder {
            url: url.into(),
            rules: RuleSet::builder(),
            settings: StageSettings::default(),
        }
    }

    /// Opens an engine on `url` without rules.
    pub async fn open(url: &str) -> Result<Engine> {
        Self::builder(url).open().await
    }

    /// The rules in use now.
    pub fn rules(&self) -> Arc<RuleSet> {
        Arc::clone(self.pipeline().rules())
    }

    /// Replaces the rules atomically: a batch being ingested finishes with the rules it
    /// started with, the next one uses the new rules.
    pub fn reload_rules(&self, rules: RuleSet) -> Result<()> {
        let pipeline = Arc::new(Pipeline::new(rules, &self.inner.settings)?);
        *self
            .inner
            .pipeline
            .write()
            .unwrap_or_else(|p| p.into_inner()) = pipeline;
        Ok(())
    }

    /// The ingest stages in use now.
    fn pipeline(&self) -> Arc<Pipeline> {
        Arc::clone(
            &self
                .inner
                .pipeline
                .read()
                .unwrap_or_else(|p| p.into_inner()),
        )
    }

    /// Matches and stores a batch of events in one transaction; each match's
    /// [`Detection::event_index`] is the event's 1-based position in `events`.
    ///
    /// Idempotent by event id: events already stored count as duplicates and their matches
    /// are not reported again.
    pub async fn ingest(&self, events: Vec<Event>) -> Result<IngestReport> {
        self.ingest_batch(ParsedBatch::numbered(events)).await
    }

    /// Parses JSON bytes (one object, an array, NDJSON or concatenated objects, Windows-event
    /// JSON included) and ingests every valid event; bad records are reported, not fatal.
    /// Each match's [`Detection::event_index`] is the event's line (array index + 1).
    pub async fn ingest_json(&self, bytes: &[u8]) -> Result<IngestReport> {
        self.ingest_batch(event::parse(bytes)).await
    }

    /// Ingests a parsed batch through the ingest stages (see [`crate::ingest`]): its new
    /// events are matched and stored with their detections in one transaction, its
    /// rejections are reported along, and each detection's [`Detection::event_index`] is the
    /// line the batch recorded for its event.
    pub async fn ingest_batch(&self, batch: ParsedBatch) -> Result<IngestReport> {
        ingest::run(self.inner.storage.as_ref(), self.pipeline(), batch).await
    }

    /// Stored events matching `query`, newest first, one page at a time.
    pub async fn events(&self, query: &EventQuery) -> Result<EventPage> {
        self.inner.storage.events(query).await
    }

    /// How many stored events matching `query` have each value of `field`.
    pub async fn count_by(&self, field: &str, query: &EventQuery) -> Result<Vec<FieldCount>> {
        self.inner.storage.count_by(field, query).await
    }

    /// Stored detections in the query's time range, newest first.
    pub async fn detections(&self, query: &EventQuery) -> Result<Vec<Detection>> {
        self.inner.storage.detections(query).await
    }

    /// Deletes events older than `cutoff` (retention); returns how many.
    pub async fn purge_before(&self, cutoff: DateTime<Utc>) -> Result<u64> {
        self.inner.storage.purge_before(cutoff).await
    }

    /// The rule options last saved with [`Engine::remember_rules`] in this engine's
    /// storage, if any: what `finmark ingest` uses when it is given no `--rules`.
    pub async fn remembered_rules(&self) -> Result<Option<RuleOptions>> {
        let mut tx = self.inner.storage.begin_write().await?;
        let loaded = tx
            .load(&LoadRequest {
                state: vec![REMEMBERED_RULES.to_string()],
                ..LoadRequest::default()
            })
            .await?;
        tx.commit().await?;
        loaded
            .state
            .first()
            .map(|record| {
                serde_json::from_slice(&record.value).map_err(|e| {
                    Error::storage(format!(
                        "the rule options stored under '{REMEMBERED_RULES}' cannot be read: {e}"
                    ))
                })
            })
            .transpose()
    }

    /// Saves `options` in this engine's storage, replacing what was saved, for
    /// [`Engine::remembered_rules`]. Paths are saved as given: pass absolute ones for another
    /// working directory to find them.
    pub async fn remember_rules(&self, options: &RuleOptions) -> Result<()> {
        let value = serde_json::to_vec(options)
            .map_err(|e| Error::internal(format!("rule options as JSON: {e}")))?;
        let mut tx = self.inner.storage.begin_write().await?;
        tx.write(WriteSet {
            state: vec![StateRecord {
                key: REMEMBERED_RULES.to_string(),
                value,
            }],
            ..WriteSet::default()
        })
        .await?;
        tx.commit().await
    }

    /// Checks that `actor` holds `permission`: the one place every action of the engine is
    /// authorised (and, later, audited). A denial is a `PermissionDenied` error naming the
    /// actor, their roles and the permission.
    fn authorize(&self, actor: &Actor, permission: Permission) -> Result<()> {
        access::decide(actor, permission).to_result()
    }

    /// Alerts matching `query`, newest first (by first seen), one page at a time. Needs
    /// `alert.read`.
    pub async fn alerts(&self, actor: &Actor, query: &AlertQuery) -> Result<AlertPage> {
        self.authorize(actor, Permission::AlertRead)?;
        self.inner.storage.alerts(query).await
    }

    /// The alert with `id` (`NotFound` when there is none). Needs `alert.read`.
    pub async fn alert(&self, actor: &Actor, id: &str) -> Result<Alert> {
        self.authorize(actor, Permission::AlertRead)?;
        self.inner.storage.alert(id).await
    }

    /// How many alerts matching `query` there are by severity and by status, for
    /// dashboards. Needs `alert.read`.
    pub async fn alert_counts(&self, actor: &Actor, query: &AlertQuery) -> Result<AlertCounts> {
        self.authorize(actor, Permission::AlertRead)?;
        self.inner.storage.alert_counts(&query.unpaged()).await
    }

    /// Acknowledges an alert (open or silenced -> acknowledged) and returns it. Needs
    /// `alert.acknowledge`; a resolved or already acknowledged alert is a `Conflict`.
    pub async fn acknowledge_alert(&self, actor: &Actor, id: &str) -> Result<Alert> {
        self.act_on_alert(
            actor,
            id,
            AlertAction::Acknowledge,
            Permission::AlertAcknowledge,
        )
        .await
    }

    /// Resolves an alert and returns it; it is never reopened (its fingerprint's next
    /// signal raises a new alert). Needs `alert.resolve`; a resolved alert is a `Conflict`.
    pub async fn resolve_alert(&self, actor: &Actor, id: &str) -> Result<Alert> {
        self.act_on_alert(actor, id, AlertAction::Resolve, Permission::AlertResolve)
            .await
    }

    async fn act_on_alert(
        &self,
        actor: &Actor,
        id: &str,
        action: AlertAction,
        permission: Permission,
    ) -> Result<Alert> {
        self.authorize(actor, permission)?;
        let update = AlertUpdate {
            actor: actor.id().to_string(),
            action,
            at: Utc::now(),
        };
        self.inner.storage.act_on_alert(id, update).await
    }

    /// Adds a silence that mutes the alerts its matchers match from its start to its end
    /// (they are stored as `silenced`, never dropped); its author is the actor. Needs
    /// `silence.create`.
    pub async fn add_silence(&self, actor: &Actor, request: SilenceRequest) -> Result<Silence> {
        self.authorize(actor, Permission::SilenceCreate)?;
        let now = Utc::now();
        let id = format!(
            "{:032x}",
            xxhash_rust::xxh3::xxh3_128(
                format!(
                    "{}\u{1}{:?}\u{1}{}",
                    actor.id(),
                    request,
                    now.timestamp_nanos_opt().unwrap_or_default()
                )
                .as_bytes()
            )
        );
        let silence = request.into_silence(id, actor.id(), now)?;
        self.inner.storage.add_silence(&silence).await?;
        Ok(silence)
    }

    /// The silences by id; with `active_only`, only those muting now. Needs `silence.read`.
    pub async fn silences(&self, actor: &Actor, active_only: bool) -> Result<Vec<Silence>> {
        self.authorize(actor, Permission::SilenceRead)?;
        let at = active_only.then(Utc::now);
        self.inner.storage.silences(at).await
    }

    /// Ends a silence now (if it would end later) and returns it. Needs `silence.expire`.
    pub async fn expire_silence(&self, actor: &Actor, id: &str) -> Result<Silence> {
        self.authorize(actor, Permission::SilenceExpire)?;
        self.inner.storage.expire_silence(id, Utc::now()).await
    }

    /// Closes the storage; closing again does nothing. Other calls after closing fail with
    /// [`crate::error::ErrorKind::Storage`].
    pub async fn close(&self) -> Result<()> {
        if self.inner.closed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        self.inner.storage.close().await
    }
}
