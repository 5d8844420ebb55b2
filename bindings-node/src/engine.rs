//! `Engine`: finmark on one storage. Every method that touches storage returns a Promise and
//! runs on napi's tokio runtime; `reloadRules` is synchronous.

use crate::alert;
use crate::error::{Result, from_napi, promise, to_napi};
use crate::event::{Rejected, array_json};
use crate::mirror;
use crate::rules::Match;
use crate::storage::{EventPage, EventQuery, FieldCount, Instant};
use napi::Env;
use napi::bindgen_prelude::{Array, Buffer, Either, PromiseRaw};
use serde::Deserialize;
use serde_json::Value;

/// Options of `Engine.open`: where the rules come from.
#[napi_derive::napi(object, object_to_js = false)]
pub struct EngineOptions {
    /// Sigma rule files or directories.
    pub rules: Option<Vec<String>>,
    /// Sigma rules as YAML texts.
    pub rules_yaml: Option<Vec<String>>,
    /// Processing pipelines: builtin names (`windows`, `webserver`, ...) or pipeline files.
    pub pipelines: Option<Vec<String>>,
    /// Fail to open when any rule is rejected, instead of skipping it.
    pub strict_rules: Option<bool>,
    /// How detections become alerts: the core's `AlertConfig` JSON form
    /// (`suppression_window_secs`, `group_by`, `risk`...). `Engine.open` only.
    #[napi(ts_type = "Record<string, unknown> | null")]
    pub alert_config: Option<Value>,
    /// How correlations keep time and state: the core's `CorrelationConfig` JSON form
    /// (`time`, `allowed_lateness_secs`, `max_groups`...). `Engine.open` only.
    #[napi(ts_type = "Record<string, unknown> | null")]
    pub correlation_config: Option<Value>,
}

impl From<EngineOptions> for finmark::RuleOptions {
    fn from(options: EngineOptions) -> Self {
        finmark::RuleOptions {
            rules: options
                .rules
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            rules_yaml: options.rules_yaml.unwrap_or_default(),
            pipelines: options.pipelines.unwrap_or_default(),
            strict_rules: options.strict_rules.unwrap_or_default(),
        }
    }
}

/// What one ingest call did.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestReport {
    /// Events stored now.
    pub accepted: u32,
    /// Valid events whose id was already stored (re-sent), not stored again.
    pub duplicates: u32,
    /// Records that were not valid events, with their line and reason.
    pub rejected: Vec<Rejected>,
    /// Rule matches in the events stored now.
    pub matches: Vec<Match>,
    /// Correlation rule firings.
    #[napi(ts_type = "Array<CorrelationMatch>")]
    pub correlations: Vec<Value>,
    /// Alerts raised or updated by the batch.
    #[napi(ts_type = "Array<Alert>")]
    pub alerts: Vec<Value>,
}

/// finmark on one storage: ingests batches of events, matches them against the loaded Sigma
/// rules, stores events and detections, and answers queries.
///
/// ```js
/// const engine = await Engine.open('sqlite://finmark.db', { rules: ['rules/'] })
/// const report = await engine.ingest([{ 'user.name': 'alice', 'event.outcome': 'failure' }])
/// const page = await engine.events({ where: { 'user.name': 'alice' }, limit: 10 })
/// await engine.close()
/// ```
#[napi_derive::napi]
pub struct Engine {
    inner: finmark::Engine,
}

#[napi_derive::napi]
impl Engine {
    /// Opens an engine on a storage URL: `memory://`, `sqlite://PATH` (created if missing) or
    /// `postgres://USER@HOST:PORT/DB`, with the rules and pipelines `options` name and its
    /// alert and correlation configurations.
    ///
    /// Rejects with `INVALID_QUERY` for a malformed URL, `STORAGE` when the storage cannot be
    /// opened, `NOT_FOUND` for a pipeline that is neither shipped nor a file, `INVALID_RULE`
    /// for a malformed pipeline file (or any rejected rule with `strictRules`).
    #[napi(catch_unwind)]
    pub fn open<'env>(
        env: &'env Env,
        url: String,
        options: Option<EngineOptions>,
    ) -> Result<PromiseRaw<'env, Engine>> {
        let (alert_config, correlation_config) = match &options {
            Some(o) => (o.alert_config.clone(), o.correlation_config.clone()),
            None => (None, None),
        };
        let options = options.map(finmark::RuleOptions::from).unwrap_or_default();
        promise(
            env,
            async move {
                finmark::Engine::builder(url)
                    .rule_options(&options)?
                    .alert_config(alert::alert_config(alert_config)?)
                    .correlation_config(alert::correlation_config(correlation_config)?)
                    .open()
                    .await
            },
            |inner| Ok(Engine { inner }),
        )
    }

    /// Matches and stores an array of event objects in one transaction. Idempotent by event
    /// id: events already stored count as `duplicates`. An element that is not an object is
    /// listed in `rejected` (line = index + 1); the others are still stored.
    #[napi(catch_unwind, ts_args_type = "events: Array<Record<string, unknown>>")]
    pub fn ingest<'env>(
        &self,
        env: &'env Env,
        events: Array,
    ) -> Result<PromiseRaw<'env, IngestReport>> {
        let json = array_json(env, events).map_err(from_napi)?;
        let engine = self.inner.clone();
        promise(
            env,
            async move { engine.ingest_json(json.as_bytes()).await },
            |report| mirror(&report),
        )
    }

    /// Parses JSON (NDJSON, a JSON array, one object, concatenated or Windows-event JSON) and
    /// stores every valid event; malformed records are listed in `rejected` with their line.
    ///
    /// A `Buffer` is read in place, without a copy: do not modify it until the Promise settles.
    #[napi(catch_unwind)]
    pub fn ingest_json<'env>(
        &self,
        env: &'env Env,
        data: Either<Buffer, String>,
    ) -> Result<PromiseRaw<'env, IngestReport>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                match &data {
                    Either::A(buffer) => engine.ingest_json(buffer).await,
                    Either::B(text) => engine.ingest_json(text.as_bytes()).await,
                }
            },
            |report| mirror(&report),
        )
    }

    /// Stored events matching `query`, newest first, one page at a time: pass the page's
    /// `next_cursor` as `cursor` for the next one.
    #[napi(catch_unwind)]
    pub fn events<'env>(
        &self,
        env: &'env Env,
        query: Option<EventQuery>,
    ) -> Result<PromiseRaw<'env, EventPage>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move { engine.events(&EventQuery::into_core(query)?).await },
            |page| mirror(&page),
        )
    }

    /// How many stored events matching `query` have each value of `field`, most frequent
    /// first; `query.limit` caps the number of values.
    #[napi(catch_unwind)]
    pub fn count_by<'env>(
        &self,
        env: &'env Env,
        field: String,
        query: Option<EventQuery>,
    ) -> Result<PromiseRaw<'env, Vec<FieldCount>>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                engine
                    .count_by(&field, &EventQuery::into_core(query)?)
                    .await
            },
            |counts| mirror(&counts),
        )
    }

    /// Stored detections for events in the query's time range, newest first; `where` filters
    /// on `rule_id`, `level`, `severity` or `event_id`.
    #[napi(catch_unwind)]
    pub fn detections<'env>(
        &self,
        env: &'env Env,
        query: Option<EventQuery>,
    ) -> Result<PromiseRaw<'env, Vec<Match>>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move { engine.detections(&EventQuery::into_core(query)?).await },
            |matches| mirror(&matches),
        )
    }

    /// Deletes events (and their detections) older than `cutoff`; resolves to how many
    /// events were deleted.
    #[napi(catch_unwind, ts_args_type = "cutoff: Instant")]
    pub fn purge_before<'env>(
        &self,
        env: &'env Env,
        cutoff: Instant,
    ) -> Result<PromiseRaw<'env, i64>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move { engine.purge_before(cutoff.to_time()?).await },
            |deleted| {
                i64::try_from(deleted)
                    .map_err(|_| finmark::Error::internal("purged event count out of range"))
            },
        )
    }

    /// Replaces the rules atomically: a batch being ingested finishes with the rules it
    /// started with. `rules` is either rule files and directories (compiled after
    /// `pipelines`), or the options object `Engine.open` takes (`rules`, `rulesYaml`,
    /// `pipelines`, `strictRules`); `pipelines` given beside an options object are applied
    /// after its own.
    ///
    /// Throws `NOT_FOUND` for a pipeline that is neither shipped nor a file, `INVALID_RULE` for
    /// a malformed pipeline file or, with `strictRules`, a rejected rule; the old rules stay in
    /// use.
    #[napi(
        catch_unwind,
        ts_args_type = "rules: Array<string> | EngineOptions, pipelines?: Array<string> | undefined | null"
    )]
    pub fn reload_rules(
        &self,
        rules: Either<Vec<String>, EngineOptions>,
        pipelines: Option<Vec<String>>,
    ) -> Result<()> {
        let mut options = finmark::RuleOptions::from(match rules {
            Either::A(paths) => EngineOptions {
                rules: Some(paths),
                rules_yaml: None,
                pipelines: None,
                strict_rules: None,
                alert_config: None,
                correlation_config: None,
            },
            Either::B(options) => options,
        });
        options.pipelines.extend(pipelines.unwrap_or_default());
        let rules = options.build().map_err(to_napi)?;
        self.inner.reload_rules(rules).map_err(to_napi)?;
        Ok(())
    }

    /// Alerts matching `query`, newest first (by first seen), one page at a time. Needs
    /// `alert.read`; rejects with `PERMISSION_DENIED` naming it otherwise.
    #[napi(
        catch_unwind,
        ts_args_type = "actor: Actor, query?: AlertQuery | undefined | null",
        ts_return_type = "Promise<AlertPage>"
    )]
    pub fn alerts<'env>(
        &self,
        env: &'env Env,
        actor: Value,
        query: Option<Value>,
    ) -> Result<PromiseRaw<'env, Value>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                let (actor, query) = (alert::actor(actor)?, alert::query(query)?);
                engine.alerts(&actor, &query).await
            },
            |result| alert::to_json(&result),
        )
    }

    /// The alert with `id` (`NOT_FOUND` when there is none). Needs `alert.read`.
    #[napi(
        catch_unwind,
        ts_args_type = "actor: Actor, id: string",
        ts_return_type = "Promise<Alert>"
    )]
    pub fn alert<'env>(
        &self,
        env: &'env Env,
        actor: Value,
        id: String,
    ) -> Result<PromiseRaw<'env, Value>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                let actor = alert::actor(actor)?;
                engine.alert(&actor, &id).await
            },
            |result| alert::to_json(&result),
        )
    }

    /// How many alerts matching `query` there are by severity and by status. Needs
    /// `alert.read`.
    #[napi(
        catch_unwind,
        ts_args_type = "actor: Actor, query?: AlertQuery | undefined | null",
        ts_return_type = "Promise<AlertCounts>"
    )]
    pub fn alert_counts<'env>(
        &self,
        env: &'env Env,
        actor: Value,
        query: Option<Value>,
    ) -> Result<PromiseRaw<'env, Value>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                let (actor, query) = (alert::actor(actor)?, alert::query(query)?);
                engine.alert_counts(&actor, &query).await
            },
            |result| alert::to_json(&result),
        )
    }

    /// Acknowledges an open or silenced alert and resolves to it. Needs `alert.acknowledge`;
    /// an acknowledged or resolved alert rejects with `CONFLICT`.
    #[napi(
        catch_unwind,
        ts_args_type = "actor: Actor, id: string",
        ts_return_type = "Promise<Alert>"
    )]
    pub fn acknowledge_alert<'env>(
        &self,
        env: &'env Env,
        actor: Value,
        id: String,
    ) -> Result<PromiseRaw<'env, Value>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                let actor = alert::actor(actor)?;
                engine.acknowledge_alert(&actor, &id).await
            },
            |result| alert::to_json(&result),
        )
    }

    /// Resolves an alert for good and resolves to it. Needs `alert.resolve`; a resolved alert
    /// rejects with `CONFLICT`.
    #[napi(
        catch_unwind,
        ts_args_type = "actor: Actor, id: string",
        ts_return_type = "Promise<Alert>"
    )]
    pub fn resolve_alert<'env>(
        &self,
        env: &'env Env,
        actor: Value,
        id: String,
    ) -> Result<PromiseRaw<'env, Value>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                let actor = alert::actor(actor)?;
                engine.resolve_alert(&actor, &id).await
            },
            |result| alert::to_json(&result),
        )
    }

    /// Adds a silence muting the alerts its matchers match (stored as `silenced`, never
    /// dropped) and resolves to it. Needs `silence.create`.
    #[napi(
        catch_unwind,
        ts_args_type = "actor: Actor, request: SilenceRequest",
        ts_return_type = "Promise<Silence>"
    )]
    pub fn add_silence<'env>(
        &self,
        env: &'env Env,
        actor: Value,
        request: Value,
    ) -> Result<PromiseRaw<'env, Value>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                let (actor, request) = (alert::actor(actor)?, alert::silence(request)?);
                engine.add_silence(&actor, request).await
            },
            |result| alert::to_json(&result),
        )
    }

    /// The silences by id; with `activeOnly` (the default), only those muting now. Needs
    /// `silence.read`.
    #[napi(
        catch_unwind,
        ts_args_type = "actor: Actor, activeOnly?: boolean | undefined | null",
        ts_return_type = "Promise<Array<Silence>>"
    )]
    pub fn silences<'env>(
        &self,
        env: &'env Env,
        actor: Value,
        active_only: Option<bool>,
    ) -> Result<PromiseRaw<'env, Value>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                let actor = alert::actor(actor)?;
                engine.silences(&actor, active_only.unwrap_or(true)).await
            },
            |result| alert::to_json(&result),
        )
    }

    /// Ends a silence now and resolves to it. Needs `silence.expire`.
    #[napi(
        catch_unwind,
        ts_args_type = "actor: Actor, id: string",
        ts_return_type = "Promise<Silence>"
    )]
    pub fn expire_silence<'env>(
        &self,
        env: &'env Env,
        actor: Value,
        id: String,
    ) -> Result<PromiseRaw<'env, Value>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                let actor = alert::actor(actor)?;
                engine.expire_silence(&actor, &id).await
            },
            |result| alert::to_json(&result),
        )
    }

    /// Closes the storage; later calls reject with `STORAGE`.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn close<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let engine = self.inner.clone();
        promise(env, async move { engine.close().await }, Ok)
    }
}
