//! Changes to a data set's requests given on the command line when re-planning: request
//! files to add (format `junkai-requests`) and request ids to cancel.

use std::collections::HashMap;

use serde_json::Value;

use super::requests::{ParsedRequests, parse_requests};
use super::{entities::Model, label_all, requests_list};
use crate::calendar::Calendar;
use crate::diagnostics::Diagnostic;
use crate::io::json_reader::{Reader, index};

/// Requests to add and to cancel.
#[derive(Clone, Debug, Default)]
pub struct RequestChanges {
    /// Request files, each with its label for messages.
    pub added: Vec<(String, Value)>,
    /// Ids of requests to leave out.
    pub cancelled: Vec<String>,
}

impl RequestChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.cancelled.is_empty()
    }

    /// Appends the added requests to `requests` (an id may appear once in all files) and
    /// removes the cancelled ones; returns every problem found.
    pub(super) fn apply(&self, requests: &mut ParsedRequests, model: &Model, calendar: &Calendar) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut first_seen: HashMap<String, String> = requests
            .requests
            .iter()
            .map(|r| &r.id)
            .chain(requests.outside.iter().map(|o| &o.id))
            .map(|id| (id.clone(), "the data set's requests".to_string()))
            .collect();
        for (label, doc) in &self.added {
            let mut reader = Reader::default();
            let values = requests_list(&mut reader, doc);
            let parsed = parse_requests(&mut reader, &values, model, calendar);
            diagnostics.extend(label_all(reader.diagnostics, label));
            let ids = parsed.requests.iter().map(|r| &r.id).chain(parsed.outside.iter().map(|o| &o.id));
            for (i, id) in ids.enumerate() {
                match first_seen.get(id) {
                    Some(first) => {
                        let path = format!("{}.id", index("requests", i));
                        diagnostics.push(Diagnostic::duplicate_id(&path, id, first).in_file(label));
                    }
                    None => {
                        first_seen.insert(id.clone(), label.clone());
                    }
                }
            }
            requests.requests.extend(parsed.requests);
            requests.contacts.extend(parsed.contacts);
            requests.outside.extend(parsed.outside);
        }
        for id in &self.cancelled {
            if let Some(i) = requests.requests.iter().position(|r| &r.id == id) {
                requests.requests.remove(i);
                requests.contacts.remove(i);
            } else if let Some(i) = requests.outside.iter().position(|o| &o.id == id) {
                requests.outside.remove(i);
            } else {
                let known: Vec<String> = requests.requests.iter().map(|r| r.id.clone()).collect();
                diagnostics.push(Diagnostic::unknown_reference("--cancel", "request", id, &known));
            }
        }
        diagnostics
    }
}
