//! Progress reporting: the pipeline emits [`Event`]s to a [`Reporter`]; the CLI draws a progress
//! bar from them, tests and library users can ignore them ([`Quiet`]).

/// Something that happened during a run.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// A stage starts with this many items.
    Stage {
        /// Stage name.
        name: &'a str,
        /// Number of items.
        total: usize,
    },
    /// One item of the current stage is done.
    Item {
        /// The document.
        doc_id: &'a str,
    },
    /// A warning (for example, a file in the corpus folder that the manifest does not list).
    Warning(&'a str),
}

/// Receives events; must be usable from several threads.
pub trait Reporter: Sync {
    /// Handles one event.
    fn report(&self, event: Event<'_>);
}

/// A reporter that drops every event but logs warnings.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Reporter for Quiet {
    fn report(&self, event: Event<'_>) {
        if let Event::Warning(w) = event {
            log::warn!("{w}");
        }
    }
}
