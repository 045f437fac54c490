//! Intents and app instances (FDC3 2.2): finding handlers (`findIntent`,
//! `findIntentsByContext`), raising an intent at an app, an instance or
//! whatever the user picks (`raiseIntent`, `raiseIntentForContext`), the
//! running instances of an app (`findInstances`) and an app's metadata
//! (`getAppMetadata`), with the spec's errors. Every panel is an instance
//! (its panel id is its `instanceId`); every widget in the catalogue an app.

use serde_json::{json, Value};

use super::context::{validate, Fdc3Error};
use super::protocol::{Candidate, Outgoing, PanelId, ToPanel, ToShell};
use super::{now_ms, respond, Answer, Bus, CatalogueEntry, IntentHandler, PendingIntent};

/// How long a raised intent waits for its target to add a listener (an app
/// being opened, or a targeted instance) before `IntentDeliveryFailed`.
pub const INTENT_DELIVERY_TIMEOUT_MS: f64 = 15_000.0;

/// Whether a handler declaring `declared` satisfies a requested result type.
/// `channel` matches any channel result; `channel<T>` only that one; a
/// context type only itself.
fn result_matches(declared: Option<&str>, wanted: Option<&str>) -> bool {
    match (wanted, declared) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some("channel"), Some(d)) => d == "channel" || d.starts_with("channel<"),
        (Some(w), Some(d)) => w == d,
    }
}

fn handles(
    h: &IntentHandler,
    intent: &str,
    context_type: Option<&str>,
    result: Option<&str>,
) -> bool {
    h.intent == intent
        && (h.contexts.is_empty() || context_type.is_none_or(|t| h.contexts.iter().any(|c| c == t)))
        && result_matches(h.result_type.as_deref(), result)
}

/// Where a raised intent should go.
pub struct Target {
    pub app: Option<String>,
    pub instance: Option<String>,
}

impl Bus {
    /// FDC3 `addIntentListener`: an intent may be waiting for this widget
    /// to open, or for this instance.
    pub(super) fn add_intent_listener(
        &mut self,
        panel: &str,
        intent: String,
        out: &mut Vec<Outgoing>,
    ) -> Answer {
        let Some(p) = self.panels.get_mut(panel) else {
            return Ok(None);
        };
        p.intents.insert(intent.clone());
        let widget = p.widget.clone();
        self.deliver_waiting(panel, &widget, &intent, out);
        Ok(Some(Value::Null))
    }

    pub(super) fn remove_intent_listener(&mut self, panel: &str, intent: &str) -> Answer {
        if let Some(p) = self.panels.get_mut(panel) {
            p.intents.remove(intent);
        }
        Ok(Some(Value::Null))
    }

    /// The handler's answer to an intent: sent to the raiser as its
    /// `IntentResolution.getResult()` (a rejection as `IntentHandlerRejected`).
    pub(super) fn intent_result(
        &mut self,
        result_id: u64,
        result: Option<Value>,
        error: Option<String>,
        out: &mut Vec<Outgoing>,
    ) -> Answer {
        let Some((source, request)) = self.results.remove(&result_id) else {
            return Ok(None);
        };
        if let Some(r) = &result {
            // A private channel as the result: the raiser may use it now.
            self.share_private_result(r, &source);
        }
        if let Some(src) = self.panels.get(&source) {
            let (result, error) = match (result, error) {
                (_, Some(_)) => (None, Some(Fdc3Error::IntentHandlerRejected.as_str())),
                (Some(r), None) if !r.is_null() => (Some(r), None),
                _ => (None, None),
            };
            out.push(Outgoing::Panel {
                window: src.window.clone(),
                panel: source,
                msg: ToPanel::IntentResult {
                    id: request,
                    result,
                    error,
                },
            });
        }
        Ok(None)
    }

    pub(super) fn handlers(
        &self,
        intent: &str,
        context_type: Option<&str>,
        result: Option<&str>,
    ) -> Vec<&CatalogueEntry> {
        self.catalogue
            .iter()
            .filter(|w| {
                w.intents
                    .iter()
                    .any(|h| handles(h, intent, context_type, result))
            })
            .collect()
    }

    /// The declared display name of `intent` (the first widget that gives
    /// one), else its name.
    fn display_name(&self, intent: &str) -> String {
        self.catalogue
            .iter()
            .flat_map(|w| &w.intents)
            .find_map(|h| {
                (h.intent == intent)
                    .then(|| h.display_name.clone())
                    .flatten()
            })
            .unwrap_or_else(|| intent.to_owned())
    }

    fn app_intent(&self, intent: &str, apps: &[&CatalogueEntry]) -> Value {
        let apps: Vec<Value> = apps.iter().map(|w| self.app_metadata_of(w, None)).collect();
        json!({
            "intent": { "name": intent, "displayName": self.display_name(intent) },
            "apps": apps,
        })
    }

    fn app_metadata_of(&self, w: &CatalogueEntry, instance: Option<&str>) -> Value {
        let mut m = json!({ "appId": w.app_id(), "name": w.app_id(), "title": w.title, "version": w.version });
        if !w.description.is_empty() {
            m["description"] = json!(w.description);
        }
        if let Some(i) = instance {
            m["instanceId"] = json!(i);
        }
        m
    }

    /// `findIntent(intent, context?, resultType?)`: the apps that handle it,
    /// each once (running instances are not extra apps).
    pub(super) fn find_intent(
        &self,
        intent: &str,
        context: Option<&Value>,
        result: Option<&str>,
    ) -> Result<Value, Fdc3Error> {
        let ty = context.map(validate).transpose()?;
        let apps = self.handlers(intent, ty, result);
        if apps.is_empty() {
            return Err(Fdc3Error::NoAppsFound);
        }
        Ok(self.app_intent(intent, &apps))
    }

    /// `findIntentsByContext(context, resultType?)`: every intent some app
    /// handles for this context, with its apps, by intent name.
    pub(super) fn find_intents_by_context(
        &self,
        context: &Value,
        result: Option<&str>,
    ) -> Result<Value, Fdc3Error> {
        let ty = validate(context)?;
        let mut intents: Vec<&str> = self
            .catalogue
            .iter()
            .flat_map(|w| &w.intents)
            .filter(|h| handles(h, &h.intent, Some(ty), result))
            .map(|h| h.intent.as_str())
            .collect();
        intents.sort();
        intents.dedup();
        if intents.is_empty() {
            return Err(Fdc3Error::NoAppsFound);
        }
        Ok(Value::Array(
            intents
                .iter()
                .map(|i| self.app_intent(i, &self.handlers(i, Some(ty), result)))
                .collect(),
        ))
    }

    /// `findInstances(app)`: its running panels, in panel order.
    pub(super) fn find_instances(&self, app: &str) -> Result<Value, Fdc3Error> {
        let entry = self.app_named(app).ok_or(Fdc3Error::NoAppsFound)?;
        let (widget, app) = (entry.id.as_str(), entry.app_id());
        let mut panels: Vec<&PanelId> = self
            .panels
            .iter()
            .filter(|(_, p)| p.widget == widget)
            .map(|(id, _)| id)
            .collect();
        panels.sort();
        Ok(Value::Array(
            panels
                .into_iter()
                .map(|p| json!({ "appId": app, "instanceId": p }))
                .collect(),
        ))
    }

    /// `getAppMetadata(app)`: from the catalogue; with an instance, only if it runs.
    pub(super) fn get_app_metadata(
        &self,
        app: &str,
        instance: Option<&str>,
    ) -> Result<Value, Fdc3Error> {
        let w = self.app_named(app).ok_or(Fdc3Error::TargetAppUnavailable)?;
        if let Some(i) = instance {
            if self.panels.get(i).is_none_or(|p| p.widget != w.id) {
                return Err(Fdc3Error::TargetInstanceUnavailable);
            }
        }
        Ok(self.app_metadata_of(w, instance))
    }

    /// Hands a pending intent to `target`, answering the raiser.
    pub(super) fn deliver_intent(
        &mut self,
        pending: PendingIntent,
        target: &str,
        out: &mut Vec<Outgoing>,
    ) {
        let result_id = self.next();
        let metadata = self.metadata(&pending.source, None);
        self.results
            .insert(result_id, (pending.source.clone(), pending.request));
        let msg = ToPanel::Intent {
            intent: pending.intent.clone(),
            context: pending.context,
            metadata,
            result_id,
        };
        let target_widget = self.panel_app_id(target);
        self.enqueue(target, msg);
        if let Some(src) = self.panels.get(&pending.source) {
            let window = src.window.clone();
            let resolution = json!({
                "source": { "appId": target_widget, "instanceId": target },
                "intent": pending.intent,
            });
            respond(
                out,
                &pending.source,
                &window,
                pending.request,
                Ok(resolution),
            );
        }
    }

    pub(super) fn fail_intent(
        &mut self,
        pending: &PendingIntent,
        e: Fdc3Error,
        out: &mut Vec<Outgoing>,
    ) {
        if let Some(src) = self.panels.get(&pending.source) {
            let window = src.window.clone();
            respond(out, &pending.source, &window, pending.request, Err(e));
        }
    }

    /// Intents still waiting for their target to listen after the delivery
    /// timeout fail with `IntentDeliveryFailed` (those waiting for the user's
    /// choice in the resolver do not time out).
    pub fn expire_pending(&mut self, now: f64) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let expired: Vec<u64> = self
            .pending
            .iter()
            .filter(|(_, p)| {
                (p.open.is_some() || p.instance.is_some())
                    && now - p.since_ms > INTENT_DELIVERY_TIMEOUT_MS
            })
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            if let Some(p) = self.pending.remove(&id) {
                self.fail_intent(&p, Fdc3Error::IntentDeliveryFailed, &mut out);
            }
        }
        self.expire_opens(now, &mut out);
        self.flush(&mut out);
        out
    }

    /// Delivers the intents waiting for `panel` (opened for them, or
    /// targeted at it) now that it listens for `intent`.
    pub(super) fn deliver_waiting(
        &mut self,
        panel: &str,
        widget: &str,
        intent: &str,
        out: &mut Vec<Outgoing>,
    ) {
        let mut waiting: Vec<u64> = self
            .pending
            .iter()
            .filter(|(_, p)| {
                p.intent == intent
                    && (p.instance.as_deref() == Some(panel)
                        || (p.instance.is_none() && p.open.as_deref() == Some(widget)))
            })
            .map(|(id, _)| *id)
            .collect();
        waiting.sort();
        for id in waiting {
            if let Some(p) = self.pending.remove(&id) {
                self.deliver_intent(p, panel, out);
            }
        }
    }

    /// The user's answer in the intent resolver: a running panel, a widget to
    /// open, or `None` for cancel.
    pub fn resolve_intent(&mut self, request: u64, choice: Option<Candidate>) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let Some(mut pending) = self.pending.remove(&request) else {
            return out;
        };
        if let Some(intent) = choice.as_ref().and_then(|c| c.intent.clone()) {
            // raiseIntentForContext: the user picked the intent too.
            pending.intent = intent;
        }
        match choice {
            None => self.fail_intent(&pending, Fdc3Error::UserCancelled, &mut out),
            Some(Candidate {
                instance_id: Some(panel),
                ..
            }) if self.panels.contains_key(&panel) => {
                self.deliver_intent(pending, &panel, &mut out);
            }
            Some(Candidate {
                instance_id: Some(_),
                ..
            }) => {
                self.fail_intent(&pending, Fdc3Error::TargetInstanceUnavailable, &mut out);
            }
            Some(Candidate {
                app_id,
                instance_id: None,
                ..
            }) => {
                let window = self
                    .panels
                    .get(&pending.source)
                    .map(|p| p.window.clone())
                    .unwrap_or_else(|| "main".into());
                pending.open = Some(app_id.clone());
                pending.since_ms = now_ms();
                self.pending.insert(request, pending);
                out.push(Outgoing::Shell {
                    window,
                    msg: ToShell::OpenWidget {
                        widget: app_id,
                        request,
                    },
                });
            }
        }
        self.flush(&mut out);
        out
    }

    /// `raiseIntent(intent, context, app?)`; `intent: None` is
    /// `raiseIntentForContext`: any intent for the context.
    pub(super) fn raise_intent(
        &mut self,
        panel: &str,
        request: u64,
        intent: Option<String>,
        context: Value,
        target: Target,
        out: &mut Vec<Outgoing>,
    ) -> Result<(), Fdc3Error> {
        let ty = validate(&context)?.to_owned();
        // The target app, by its appId, as the widget it is.
        let target_widget = match &target.app {
            Some(app) => Some(
                self.app_named(app)
                    .ok_or(Fdc3Error::TargetAppUnavailable)?
                    .id
                    .clone(),
            ),
            None => None,
        };
        if let Some(instance) = &target.instance {
            let running = self.panels.get(instance).map(|p| p.widget.clone());
            if running.is_none() || (target_widget.is_some() && target_widget != running) {
                return Err(Fdc3Error::TargetInstanceUnavailable);
            }
        }
        // (intent, widget) pairs that can take this context.
        let mut pairs: Vec<(String, CatalogueEntry)> = Vec::new();
        for w in &self.catalogue {
            if target_widget.as_ref().is_some_and(|t| t != &w.id) {
                continue;
            }
            for h in &w.intents {
                if intent.as_ref().is_some_and(|i| i != &h.intent) {
                    continue;
                }
                if handles(h, &h.intent, Some(&ty), None)
                    && !pairs.iter().any(|(i, e)| i == &h.intent && e.id == w.id)
                {
                    pairs.push((h.intent.clone(), w.clone()));
                }
            }
        }
        if pairs.is_empty() {
            return Err(Fdc3Error::NoAppsFound);
        }
        let window = self
            .panels
            .get(panel)
            .map(|p| p.window.clone())
            .unwrap_or_else(|| "main".into());
        let mut pending = PendingIntent {
            source: panel.to_owned(),
            request,
            intent: pairs[0].0.clone(),
            context,
            open: None,
            instance: None,
            since_ms: now_ms(),
        };
        // A targeted instance: to it, now or when it listens.
        if let Some(instance) = target.instance {
            let widget = self.panels[&instance].widget.clone();
            let Some((intent, _)) = pairs.iter().find(|(_, w)| w.id == widget) else {
                return Err(Fdc3Error::NoAppsFound);
            };
            pending.intent = intent.clone();
            if self.panels[&instance].intents.contains(intent) {
                self.deliver_intent(pending, &instance, out);
            } else {
                pending.instance = Some(instance);
                self.pending.insert(request, pending);
            }
            return Ok(());
        }
        let running: Vec<(PanelId, String, String)> = {
            let mut r: Vec<(PanelId, String, String)> = self
                .panels
                .iter()
                .filter(|(id, _)| id.as_str() != panel)
                .flat_map(|(id, p)| {
                    pairs
                        .iter()
                        .filter(|(i, w)| w.id == p.widget && p.intents.contains(i))
                        .map(|(i, w)| (id.clone(), w.id.clone(), i.clone()))
                        .collect::<Vec<_>>()
                })
                .collect();
            r.sort();
            r
        };
        let one_intent = pairs.iter().all(|(i, _)| i == &pairs[0].0);
        match (running.as_slice(), pairs.as_slice()) {
            ([(target, _, intent)], _) if one_intent => {
                pending.intent = intent.clone();
                self.deliver_intent(pending, &target.clone(), out)
            }
            ([], [(intent, only)]) => {
                let widget = only.id.clone();
                pending.intent = intent.clone();
                pending.open = Some(widget.clone());
                self.pending.insert(request, pending);
                out.push(Outgoing::Shell {
                    window,
                    msg: ToShell::OpenWidget { widget, request },
                });
            }
            _ => {
                let label = |title: &str, intent: &str| {
                    if one_intent {
                        title.to_owned()
                    } else {
                        format!("{title}: {}", self.display_name(intent))
                    }
                };
                let title = |id: &str| {
                    self.catalogue
                        .iter()
                        .find(|w| w.id == id)
                        .map(|w| w.title.clone())
                        .unwrap_or_else(|| id.to_owned())
                };
                let mut candidates: Vec<Candidate> = running
                    .iter()
                    .map(|(p, w, i)| Candidate {
                        app_id: w.clone(),
                        title: label(&title(w), i),
                        instance_id: Some(p.clone()),
                        intent: (!one_intent).then(|| i.clone()),
                    })
                    .collect();
                candidates.extend(pairs.iter().map(|(i, w)| Candidate {
                    app_id: w.id.clone(),
                    title: label(&w.title, i),
                    instance_id: None,
                    intent: (!one_intent).then(|| i.clone()),
                }));
                let shown = if one_intent {
                    pending.intent.clone()
                } else {
                    format!("an action for {ty}")
                };
                self.pending.insert(request, pending);
                out.push(Outgoing::Shell {
                    window,
                    msg: ToShell::ResolveIntent {
                        request,
                        intent: shown,
                        candidates,
                    },
                });
            }
        }
        Ok(())
    }
}
