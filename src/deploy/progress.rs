//! What a running deploy shows: one live line per host on a terminal (indicatif: current step,
//! bytes uploaded, elapsed), or one plain log line per step otherwise. Everything goes to
//! stderr so that stdout carries only the result (a table or `-o json`).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress of a multi-host operation.
pub struct Progress {
    started: Instant,
    bars: Option<(MultiProgress, BTreeMap<String, ProgressBar>)>,
    width: usize,
}

impl Progress {
    /// Live lines when stderr is a terminal, plain lines otherwise.
    pub fn new(hosts: &[String]) -> Progress {
        let width = hosts.iter().map(String::len).max().unwrap_or(4).max(4);
        let bars = std::io::stderr().is_terminal().then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(&format!(
                "{{spinner:.cyan}} {{prefix:<{width}.bold}} {{wide_msg}} {{elapsed:>4}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
            let bars = hosts
                .iter()
                .map(|h| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(style.clone());
                    bar.set_prefix(h.clone());
                    bar.enable_steady_tick(Duration::from_millis(100));
                    (h.clone(), bar)
                })
                .collect();
            (multi, bars)
        });
        Progress {
            started: Instant::now(),
            bars,
            width,
        }
    }

    /// A progress that prints nothing (for tests and `-o json` callers that want silence).
    pub fn silent() -> Progress {
        Progress {
            started: Instant::now(),
            bars: Some((
                MultiProgress::with_draw_target(ProgressDrawTarget::hidden()),
                BTreeMap::new(),
            )),
            width: 4,
        }
    }

    /// Host `host` is now doing `step` (`detail` says what, e.g. bytes).
    pub fn step(&self, host: &str, step: &str, detail: &str) {
        match &self.bars {
            Some((_, bars)) => {
                if let Some(bar) = bars.get(host) {
                    bar.set_message(format!("{step:<10} {detail}"));
                }
            }
            None => eprintln!(
                "[{:>6.2}s] {host:<w$} {step:<10} {detail}",
                self.started.elapsed().as_secs_f64(),
                w = self.width
            ),
        }
    }

    /// Host `host` is done (`ok` or failed) with a last word.
    pub fn finish(&self, host: &str, ok: bool, summary: &str) {
        let mark = if ok { "done" } else { "FAILED" };
        match &self.bars {
            Some((_, bars)) => {
                if let Some(bar) = bars.get(host) {
                    bar.finish_with_message(format!("{mark:<10} {summary}"));
                }
            }
            None => self.step(host, mark, summary),
        }
    }

    /// A line that is not about one host (printed above the live lines).
    pub fn note(&self, text: &str) {
        match &self.bars {
            Some((multi, bars)) if !bars.is_empty() => {
                let _ = multi.println(text);
            }
            Some(_) => {}
            None => eprintln!("[{:>6.2}s] {text}", self.started.elapsed().as_secs_f64()),
        }
    }

    /// Time since the operation started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Stops the live lines (before a question or the summary).
    pub fn clear(&self) {
        if let Some((multi, bars)) = &self.bars {
            for bar in bars.values() {
                if !bar.is_finished() {
                    bar.finish();
                }
            }
            let _ = multi.clear();
        }
    }
}
